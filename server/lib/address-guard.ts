/**
 * Refuses private, loopback, link-local and metadata addresses at connect time, after DNS
 * resolution (so a name that resolves, or later re-resolves, to 127.0.0.1 cannot slip
 * through), unless SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS lists them (CIDRs or `*`).
 */
import dns from 'node:dns';
import net from 'node:net';

const BLOCKED: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], ['10.0.0.0', 8, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.0.0.0', 24, 'ipv4'], ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], ['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'], ['::1', 128, 'ipv6'], ['fc00::', 7, 'ipv6'], ['fe80::', 10, 'ipv6'], ['ff00::', 8, 'ipv6'], ['::ffff:0:0', 96, 'ipv6'],
];

export class AddressGuard {
  private readonly blocked = new net.BlockList();
  private readonly allowed = new net.BlockList();
  private readonly isAllowAll: boolean;

  constructor(allowSpec: string | undefined) {
    for (const [address, prefix, type] of BLOCKED) this.blocked.addSubnet(address, prefix, type);
    const entries = (allowSpec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    this.isAllowAll = entries.includes('*');
    for (const entry of entries) {
      if (entry === '*') continue;
      const [address, prefix] = entry.split('/');
      const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
      this.allowed.addSubnet(address, Number(prefix ?? (type === 'ipv6' ? 128 : 32)), type);
    }
  }

  isBlocked(address: string): boolean {
    if (this.isAllowAll) return false;
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    const mapped = type === 'ipv6' && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : null;
    if (mapped) return this.isBlocked(mapped);
    return this.blocked.check(address, type) && !this.allowed.check(address, type);
  }

  /** Why a host name's resolved addresses may not be reached, or null when they all may. */
  refusal(hostname: string, addresses: readonly dns.LookupAddress[]): string | null {
    const refused = addresses.find((entry) => this.isBlocked(entry.address));
    if (!refused) return null;
    return refused.address === hostname
      ? `${hostname} is a private address destinations may not reach`
      : `${hostname} resolves to ${refused.address}, a private address destinations may not reach`;
  }

  /**
   * The check the sender makes, for a URL about to be saved: an IP literal is judged as
   * it is, a host name by what it resolves to now. Null when the URL may be delivered to
   * (a name that does not resolve is not refused here: the sender finds out at send time).
   */
  async checkUrl(url: string): Promise<string | null> {
    let hostname: string;
    try {
      hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
    } catch {
      return null;
    }
    if (this.isAllowAll) return null;
    if (net.isIP(hostname)) return this.refusal(hostname, [{ address: hostname, family: net.isIP(hostname) }]);
    try {
      return this.refusal(hostname, await dns.promises.lookup(hostname, { all: true }));
    } catch {
      return null;
    }
  }

  /** A `lookup` for net.connect that fails with BLOCKED_ADDRESS instead of connecting to a refused address. */
  lookup = (hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refusal = this.refusal(hostname, list);
      if (refusal) {
        const blocked: NodeJS.ErrnoException = new Error(refusal);
        blocked.code = 'BLOCKED_ADDRESS';
        return callback(blocked, '', 0);
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}
