import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { createPlatform, ENV_OVERRIDES, loadConfig, type Runtime, type RuntimeConfig } from '../../src/index.js';
import { tempDir } from '../helpers.js';

const MANIFESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../deploy/kubernetes');

/** Every document of every manifest file, parsed (a YAML error fails the test). */
function readManifests(): any[] {
  const documents: any[] = [];
  for (const file of fs.readdirSync(MANIFESTS).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(MANIFESTS, file), 'utf8'))) {
      expect(doc.errors, `${file}: ${doc.errors.join('; ')}`).to.deep.equal([]);
      const value = doc.toJS();
      if (value !== null) documents.push({ ...value, file });
    }
  }
  return documents;
}

function only(documents: any[], kind: string): any {
  const found = documents.filter((d) => d.kind === kind);
  expect(found, kind).to.have.length(1);
  return found[0];
}

describe('deploy/ > Kubernetes manifests', function () {
  this.timeout(60_000);
  const documents = readManifests();
  const configMap = only(documents, 'ConfigMap');
  const secret = only(documents, 'Secret');
  const deployment = only(documents, 'Deployment');
  const service = only(documents, 'Service');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  /** The container's environment with the Secret's values filled in. */
  function containerEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const variable of container.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      env[variable.name] = ref === undefined ? variable.value : secret.stringData[ref.key];
    }
    return env;
  }

  /** The configuration the pod starts with: the mounted file named by `--config`, then the environment. */
  function podConfig(): RuntimeConfig {
    const configArg = container.args[container.args.indexOf('--config') + 1] as string;
    const mount = container.volumeMounts.find((m: any) => configArg.startsWith(`${m.mountPath}/`));
    expect(mount, `a volume mounted over ${configArg}`).to.not.equal(undefined);
    const volume = pod.volumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.name).to.equal(configMap.metadata.name);
    const key = configArg.slice(mount.mountPath.length + 1);
    expect(configMap.data).to.have.property(key);
    const dir = tempDir('deploy-config');
    fs.writeFileSync(path.join(dir, key), configMap.data[key]);
    return loadConfig({ file: path.join(dir, key), env: containerEnv(), cwd: dir });
  }

  it('parse, and the Deployment, Service and PodDisruptionBudget select the same pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    for (const selector of [deployment.spec.selector.matchLabels, service.spec.selector, only(documents, 'PodDisruptionBudget').spec.selector.matchLabels]) {
      expect(labels).to.deep.include(selector);
    }
    const portNames = container.ports.map((p: any) => p.name);
    expect(portNames).to.include(service.spec.ports[0].targetPort);
  });

  it('give the runtime a configuration its schema accepts, with only variables it reads, from keys the Secret has', () => {
    for (const variable of container.env) {
      expect(Object.keys(ENV_OVERRIDES), variable.name).to.include(variable.name);
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref !== undefined) {
        expect(ref.name).to.equal(secret.metadata.name);
        expect(secret.stringData, `${variable.name} → ${ref.key}`).to.have.property(ref.key);
      }
    }
    const config = podConfig();
    expect(config.log.backend).to.equal('kafka');
    expect(config.http.host).to.equal('0.0.0.0');
    expect(container.ports.find((p: any) => p.name === 'http').containerPort).to.equal(config.http.port);
    // The secrets reach the configuration through the environment.
    expect(config.auth.systemToken).to.equal(secret.stringData['system-token']);
    expect(config.metrics.token).to.equal(secret.stringData['metrics-token']);
    expect(config.webhooks.queue.url).to.equal(secret.stringData['redis-url']);
    expect((config.sources.chatplugin as { tokenSecret?: string }).tokenSecret).to.equal(secret.stringData['chatplugin-token-secret']);
    // Kubernetes waits for the drain and the grace before it kills the pod.
    expect(pod.terminationGracePeriodSeconds * 1000).to.be.greaterThan(config.http.drainDelayMs + config.http.shutdownGraceMs);
    expect(container.volumeMounts.map((m: any) => m.mountPath)).to.include(config.dataDir);
  });

  describe('probe and scrape paths, on the platform started with that configuration (on the embedded log)', () => {
    let runtime: Runtime;
    before(async () => {
      const config = podConfig();
      runtime = createPlatform(
        { ...config, dataDir: tempDir('deploy-platform'), log: { backend: 'embedded' }, http: { ...config.http, host: '127.0.0.1', port: 0 }, webhooks: { ...config.webhooks, queue: { ...config.webhooks.queue, backend: 'embedded', url: undefined } } },
        { logging: { level: 'error', write: () => undefined } },
      );
      await runtime.start();
    });
    after(() => runtime?.stop());

    it('answers every probe 200, without a token', async () => {
      const probes = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((name) => container[name]);
      expect(probes.map((p) => p.httpGet.path)).to.have.members(['/ready', '/ready', '/health']);
      for (const probe of probes) {
        expect(container.ports.map((p: any) => p.name)).to.include(probe.httpGet.port);
        expect((await fetch(`${runtime.url}${probe.httpGet.path}`)).status, probe.httpGet.path).to.equal(200);
      }
    });

    it('serves the scrape path of the Prometheus annotations to the Secret\'s metrics token only', async () => {
      const annotations = deployment.spec.template.metadata.annotations;
      expect(Number(annotations['prometheus.io/port'])).to.equal(container.ports.find((p: any) => p.name === 'http').containerPort);
      const url = `${runtime.url}${annotations['prometheus.io/path']}`;
      expect((await fetch(url)).status).to.equal(401);
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${secret.stringData['metrics-token']}` } });
      expect(scraped.status).to.equal(200);
      expect(await scraped.text()).to.include('parley_http_requests_total');
    });
  });
});
