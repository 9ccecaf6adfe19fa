// The few parts of a DNS message the resolution finding needs: the header (id, whether it is an
// answer, its rcode and counts) and the question (name and type), read from the bytes strace
// printed. Buffers are often cut at -s (32 by default): the 12-byte header is always there, a
// name may be partial, and the parser says so instead of guessing.

export interface DnsHeader {
  id: number;
  response: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
}

export interface DnsQuestion {
  name: string;
  /** the name was cut short (the buffer was truncated) */
  partial: boolean;
  type: string;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const TYPES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY' };

export const rcodeName = (r: number): string => RCODES[r] ?? `rcode ${r}`;

export function dnsHeader(b: Uint8Array): DnsHeader | undefined {
  if (b.length < 12) return undefined;
  return {
    id: (b[0] << 8) | b[1],
    response: (b[2] & 0x80) !== 0,
    rcode: b[3] & 0x0f,
    qdcount: (b[4] << 8) | b[5],
    ancount: (b[6] << 8) | b[7],
  };
}

export function dnsQuestion(b: Uint8Array): DnsQuestion | undefined {
  if (b.length <= 12) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < b.length) {
    const len = b[i];
    if (len === 0) {
      i++;
      const type = i + 1 < b.length ? ((b[i] << 8) | b[i + 1]) : -1;
      return { name: labels.join('.') || '.', partial: false, type: type < 0 ? '?' : (TYPES[type] ?? `TYPE${type}`) };
    }
    if (len > 63) break; // compression pointers do not appear in a question we sent
    const end = Math.min(b.length, i + 1 + len);
    labels.push(Buffer.from(b.subarray(i + 1, end)).toString('latin1'));
    if (end < i + 1 + len) break;
    i = end;
  }
  return { name: labels.join('.'), partial: true, type: '?' };
}
