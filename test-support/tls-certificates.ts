import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files for the TLS matrices: a CA, a server and a client certificate it signed, and an unrelated CA. */
export interface TestCertificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  wrongCaCert: string;
}

/**
 * Writes the certificates into `directory` with the openssl CLI. The server certificate names
 * `localhost` only (SAN DNS:localhost, CN localhost, no IP SAN), so verify-full to 127.0.0.1 must
 * fail: the CN may not stand in for a missing IP SAN once a DNS SAN exists.
 */
export function createTestCertificates(openssl: string, directory: string): TestCertificates {
  mkdirSync(directory, { recursive: true });
  const file = (name: string): string => join(directory, name);
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'];

  run(['req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=nightcrier test CA', ...caExtensions]);
  run(['req', '-x509', ...ecKey, '-keyout', file('wrong-ca.key'), '-out', file('wrong-ca.crt'), '-days', '2', '-subj', '/CN=nightcrier unrelated CA', ...caExtensions]);

  run(['req', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(
    file('server.ext'),
    [
      'subjectAltName=DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n') + '\n',
  );
  run([
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('server.crt'), '-days', '2', '-extfile', file('server.ext'),
  ]);
  run(['req', ...ecKey, '-keyout', file('client.key'), '-out', file('client.csr'), '-subj', '/CN=nightcrier test client']);
  writeFileSync(file('client.ext'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  run([
    'x509', '-req', '-in', file('client.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('client.crt'), '-days', '2', '-extfile', file('client.ext'),
  ]);
  return {
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    wrongCaCert: file('wrong-ca.crt'),
  };
}
