import { ALSO_DENIED, fillTarget, MATRIX, NO_TLS, type Who } from '../src/access-cases';

const IDS: Record<Who, string> = { guest: 'id-g', A: 'id-a', B: 'id-b', admin: 'id-admin' };

describe('the access-matrix table', () => {
  test('no case contradicts another (same principal, operation and target, other answer)', () => {
    const answers = new Map<string, boolean>();
    const contradictions = [...MATRIX, ...ALSO_DENIED.map(([w, o, t]) => [w, o, t, false] as const)].filter(
      ([who, op, target, allowed]) => {
        const key = `${who} ${op} ${target}`;
        const earlier = answers.get(key);
        answers.set(key, allowed);
        return earlier !== undefined && earlier !== allowed;
      },
    );
    expect(contradictions).toEqual([]);
  });

  test('every target names only the four principals', () => {
    const targets = [...MATRIX, ...ALSO_DENIED, ...NO_TLS].map(([, , target]) => target);
    expect(targets.map((target) => fillTarget(target, IDS)).filter((t) => /[{}]/.test(t))).toEqual([]);
  });

  test('fillTarget puts each principal’s id in its place', () => {
    expect(fillTarget('private/{A}/x/{B}{admin}-{guest}', IDS)).toBe('private/id-a/x/id-bid-admin-id-g');
  });
});
