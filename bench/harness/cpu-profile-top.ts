/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`):
 *   tsx bench/harness/cpu-profile-top.ts FILE.cpuprofile [N]
 * Self time is time sampled inside the function itself, not its callees; "(garbage collector)",
 * "(program)" and "(idle)" are V8's own buckets.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string, line: number): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? relative(REPO_ROOT, new URL(url).pathname) : url;
  const short = path.replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
  return `${short}:${line + 1}`;
}

export function topSelfTime(profile: CpuProfile, count: number): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((nodeId, i) => byNode.set(nodeId, (byNode.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...byNode.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = byNode.get(node.id) ?? 0;
    if (micros === 0) continue;
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame.url, node.callFrame.lineNumber)}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

const isMain = process.argv[1]?.endsWith('cpu-profile-top.ts') === true;
if (isMain) {
  const [file, n] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: tsx bench/harness/cpu-profile-top.ts FILE.cpuprofile [N]');
    process.exit(2);
  }
  console.log(topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number.isFinite(Number(n)) ? Number(n) : 25).join('\n'));
}
