// Lets `pnpm install` build better-sqlite3 on machines that reach only the package registry.
// Without a prebuilt binary (downloaded from GitHub) node-gyp compiles the addon, and it downloads
// Node's headers from nodejs.org unless it is told where they are. Node from a Linux distribution
// (Debian's nodejs, for one) ships them in <prefix>/include/node; pnpm, since v11, passes neither
// npm's `nodedir` setting nor npm_config_* variables to install scripts, so say it here — and only
// when those headers are of the very Node running the install, so that nothing changes elsewhere.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

function headersOfThisNode() {
  if (process.env.npm_config_nodedir) return undefined; // the user chose; keep it
  const prefix = join(process.execPath, '..', '..');
  const versionHeader = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(versionHeader)) return undefined;
  const text = readFileSync(versionHeader, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  const version = `v${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
  return version === process.version ? prefix : undefined;
}

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = headersOfThisNode();
      if (nodedir === undefined) return config;
      return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } };
    },
  },
};
