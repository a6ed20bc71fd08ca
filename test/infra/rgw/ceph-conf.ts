/**
 * The ceph.conf of a throw-away single-node cluster (one mon, one memstore osd, one radosgw),
 * every path inside `dir` and every socket on 127.0.0.1, so several can run side by side.
 */
export interface CephConfInput {
  dir: string;
  fsid: string;
  monPort: number;
  rgwPort: number;
}

export function monAddress(monPort: number): string {
  return `v2:127.0.0.1:${monPort}`;
}

export function renderCephConf({ dir, fsid, monPort, rgwPort }: CephConfInput): string {
  const lines = [
    '[global]',
    `fsid = ${fsid}`,
    `mon host = ${monAddress(monPort)}`,
    'mon initial members = a',
    'public addr = 127.0.0.1',
    'cluster addr = 127.0.0.1',
    'ms bind ipv6 = false',
    'ms bind msgr1 = false',
    // No cephx: the cluster is private to one test run; S3 requests are still SigV4-checked by rgw.
    'auth cluster required = none',
    'auth service required = none',
    'auth client required = none',
    // Without these two, radosgw never becomes ready when auth is none.
    'ms mon client mode = crc',
    'ms client mode = crc',
    'osd pool default size = 1',
    'osd pool default min size = 1',
    'osd pool default pg num = 8',
    'osd pool default pgp num = 8',
    'osd crush chooseleaf type = 0',
    'mon allow pool size one = true',
    'mon warn on pool no redundancy = false',
    'mon max pg per osd = 1000',
    // Paxos proposes every second by default; 0.05 s cuts start-up from ~14 s to ~3 s.
    'paxos propose interval = 0.05',
    'osd objectstore = memstore',
    'memstore device bytes = 1073741824',
    `run dir = ${dir}/run`,
    `admin socket = ${dir}/run/$name.asok`,
    `log file = ${dir}/log/$name.log`,
    `pid file = ${dir}/run/$name.pid`,
    `mon data = ${dir}/mon/$name`,
    `osd data = ${dir}/osd/$name`,
    `crash dir = ${dir}/crash`,
    'keyring = /dev/null',
    '',
    '[client.rgw]',
    `rgw frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1`,
    `rgw data = ${dir}/rgw`,
    '',
  ];
  return lines.join('\n');
}
