import { removeTestOutdirs } from './test-app';

afterAll(removeTestOutdirs);
