/**
 * Where the sandbox's CPU time went, from the V8 profiles `--cpu-prof` writes: self time by
 * function, and inclusive time for the sandbox's own functions (so a slow verifier or policy
 * evaluation shows up under its name even when the work happens in a library it calls).
 *
 *   tsx bench/profile-summary.ts <folder with .cpuprofile files>
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export async function summarizeProfiles(dir: string, top = 20): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`  no .cpuprofile in ${dir}`);
    return;
  }
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
    const { self, inclusive, total } = attribute(profile);
    const busy = total - (self.get('(idle)') ?? 0);
    // Node's module-loader thread (tsx registers its hooks there) idles after start-up.
    if (busy < total * 0.05) continue;
    console.log(
      `\n  ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages are of busy time)`,
    );
    const show = (title: string, entries: Map<string, number>, filter: (label: string) => boolean) => {
      console.log(`  ${title}`);
      const sorted = [...entries]
        .filter(([label]) => label !== '(idle)' && filter(label))
        .sort((a, b) => b[1] - a[1])
        .slice(0, top);
      for (const [label, us] of sorted) {
        console.log(
          `    ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${label}`,
        );
      }
    };
    show('self time, by function:', self, () => true);
    show("inclusive time, the sandbox's own functions:", inclusive, (label) =>
      label.includes('sandbox/src/'),
    );
  }
}

function attribute(profile: CpuProfile): {
  self: Map<string, number>;
  inclusive: Map<string, number>;
  total: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^file:\/\//, '').replace(/^.*\/(sandbox\/src\/|node_modules\/)/, '$1')}:${lineNumber + 1}`;
    return `${functionName || '(anonymous)'}${where}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const node = byId.get(id);
    if (!node) return;
    const own = label(node);
    self.set(own, (self.get(own) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const l = label(byId.get(at)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + delta);
    }
  });
  return { self, inclusive, total };
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx bench/profile-summary.ts <folder with .cpuprofile files>');
    process.exit(2);
  }
  summarizeProfiles(dir).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
