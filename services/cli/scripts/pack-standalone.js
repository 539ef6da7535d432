// `npm run pack -w @clearance/cli [-- OUT_DIR]`: a tarball of the CLI that
// installs on its own (`npm install ./clearance-cli-<version>.tgz`, then
// `npx clearance check bom.json`), with no clone and no registry package of
// ours. The workspace packages it imports (@clearance/core, …) are not
// published, and npm pack leaves a workspace's bundleDependencies out (they
// are hoisted to the root node_modules), so the tarball is assembled in a
// staging folder: the CLI's built files, each workspace it needs as a bundled
// dependency (package.json + dist), and the default policies. Their registry
// dependencies are listed in the packed manifest and install as usual.
// Run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = resolve(process.argv[2] ?? process.cwd());
const readJson = async (path) => JSON.parse(await readFile(path, 'utf8'));

const rootManifest = await readJson(join(root, 'package.json'));
const workspaces = new Map();
for (const folder of rootManifest.workspaces) {
  const manifest = await readJson(join(root, folder, 'package.json'));
  workspaces.set(manifest.name, { folder, manifest });
}

// The CLI's workspace dependencies, transitively.
const bundled = [];
const visit = (name) => {
  for (const dependency of Object.keys(workspaces.get(name).manifest.dependencies ?? {})) {
    if (workspaces.has(dependency) && !bundled.includes(dependency)) {
      bundled.push(dependency);
      visit(dependency);
    }
  }
};
visit('@clearance/cli');
bundled.sort();

// Build output only: no sources, tests or incremental build state.
const builtFiles = (source) => !/\.tsbuildinfo$|\.test\.(js|d\.ts)(\.map)?$/.test(source);
const publicManifest = ({ name, version, type, exports, bin, dependencies }) => ({ name, version, type, exports, ...(bin ? { bin } : {}), ...(dependencies ? { dependencies } : {}) });

const staging = await mkdtemp(join(tmpdir(), 'clearance-pack-'));
try {
  const registryDependencies = {};
  for (const name of bundled) {
    const { folder, manifest } = workspaces.get(name);
    const target = join(staging, 'node_modules', name);
    await mkdir(target, { recursive: true });
    await cp(join(root, folder, 'dist'), join(target, 'dist'), { recursive: true, filter: builtFiles });
    await writeFile(join(target, 'package.json'), `${JSON.stringify(publicManifest(manifest), null, 2)}\n`);
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) if (!workspaces.has(dependency)) registryDependencies[dependency] ??= range;
  }
  // The default policies travel inside @clearance/policy (its defaultPolicyDir looks there first).
  await cp(join(root, 'policies'), join(staging, 'node_modules', '@clearance', 'policy', 'policies'), { recursive: true });

  const cli = workspaces.get('@clearance/cli');
  for (const part of ['bin', 'dist']) await cp(join(root, cli.folder, part), join(staging, part), { recursive: true, filter: builtFiles });
  for (const [dependency, range] of Object.entries(cli.manifest.dependencies)) if (!workspaces.has(dependency)) registryDependencies[dependency] = range;
  const version = cli.manifest.version;
  const manifest = {
    ...publicManifest(cli.manifest),
    description: rootManifest.description,
    license: rootManifest.license,
    engines: rootManifest.engines,
    files: ['bin', 'dist'],
    dependencies: Object.fromEntries(
      [...Object.entries(registryDependencies), ...bundled.map((name) => [name, version])].sort(([a], [b]) => a.localeCompare(b)),
    ),
    bundleDependencies: bundled,
  };
  await writeFile(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await mkdir(out, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: staging, encoding: 'utf8' }));
  process.stdout.write(`${join(out, packed[0].filename)}\n`);
} finally {
  await rm(staging, { recursive: true, force: true });
}
