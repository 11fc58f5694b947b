import type { NextConfig } from 'next';
import { formatProblem, loadConfig } from './lib/config';

// Evaluated by `next build` and `next start`: a missing or malformed outputs file is reported in
// the terminal here, and on the pages at run time. It never fails the build, so CI can build
// without a deployment.
const outputs = loadConfig();
if (outputs.ok) {
  console.log(
    `[frontend] Outputs: ${outputs.config.source} (${outputs.config.mode === 'sandbox' ? 'local sandbox' : 'AWS'}).`,
  );
} else {
  console.warn(formatProblem(outputs.problem));
}

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
