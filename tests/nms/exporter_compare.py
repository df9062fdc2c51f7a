#!/usr/bin/env python3
"""Compares a scrape of prometheus-snmp-exporter (module kvmtop) with the
agent read through snmpget.

usage: exporter_compare.py SNMP_YML SCRAPE TARGET COMMUNITY

For every metric of the module: every sample's value equals snmpget's at the
OID its index labels give; every instance a walk of the metric's column
finds has a sample; enums and strings carry the value snmpget gives; every
sample indexed by a VM has vm_name and vm_uuid labels equal to the VM
table's, and a device's its name.  Prints TAP lines from 1; the caller
counts them.  Values do not change meanwhile: the caller drives the agent's
collections."""
import re
import subprocess
import sys

import yaml

snmp_yml, scrape_file, target, community = sys.argv[1:5]
module = yaml.safe_load(open(snmp_yml))['kvmtop']
n = 0
failed = 0


def ok(cond, desc, detail=''):
    global n, failed
    n += 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, desc))
    if not cond:
        failed += 1
        for line in str(detail).splitlines()[:8]:
            print('#   ' + line)


def snmp(tool, oids, *opts):
    """OID -> value (strings unquoted) from a net-snmp tool."""
    out = {}
    for i in range(0, len(oids), 40):
        r = subprocess.run([tool, '-v2c', '-c', community, '-t', '5', '-r', '2', '-On', '-Oq',
                            '-Oe', '-Ot'] + list(opts) + [target] + oids[i:i + 40],
                           capture_output=True, text=True, check=True)
        for line in r.stdout.splitlines():
            oid, _, val = line.partition(' ')
            out[oid.lstrip('.')] = val.strip().strip('"')
    return out


def walk(oid):
    """The instances below OID (none for a column without any)."""
    return {k: v for k, v in snmp('snmpbulkwalk', [oid], '-Cr25').items() if k.startswith(oid + '.')}


# ---- the scrape: (name, {labels}, value) ----
LINE = re.compile(r'^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')
samples = []
for line in open(scrape_file):
    m = LINE.match(line.strip())
    if m and not line.startswith('#'):
        samples.append((m.group(1), dict(LABEL.findall(m.group(2) or '')), m.group(3)))

# ---- the VM table and device names, as the agent serves them ----
R = '1.3.6.1.4.1.8072.9999.9999.1'
vm_name = {k.rsplit('.', 1)[1]: v for k, v in walk(R + '.2.1.3').items()}
vm_uuid = {k.rsplit('.', 1)[1]: v for k, v in walk(R + '.2.1.2').items()}
dev_cols = {'kvmtopVmBlkIndex': R + '.9.1.2', 'kvmtopVmIfIndex': R + '.10.1.2',
            'kvmtopHostDiskIndex': R + '.13.1.2', 'kvmtopHostNetIfIndex': R + '.14.1.2'}
dev_name = {}
for idx, col in dev_cols.items():
    for k, v in walk(col).items():
        dev_name[(idx, k[len(col) + 1:])] = v

by_name = {}
for s in samples:
    by_name.setdefault(s[0], []).append(s)

want_oids = {}   # OID -> (metric, expected kind, sample)
missing = []
label_bad = []
for metric in module['metrics']:
    name, oid, typ = metric['name'], metric['oid'], metric['type']
    idx_names = [i['labelname'] for i in metric.get('indexes', [])]
    prom = name + '_info' if typ == 'EnumAsInfo' else name
    got = by_name.get(prom, [])
    # every instance the agent has is in the scrape
    if idx_names:
        served = walk(oid)
        for full in served:
            index = full[len(oid) + 1:]
            parts = index.split('.')
            if not any([s[1].get(l) for l in idx_names] == parts for s in got):
                missing.append('%s.%s' % (name, index))
    for s in got:
        labels = s[1]
        index = '.'.join(labels[l] for l in idx_names)
        full = oid + ('.' + index if index else '.0')
        want_oids.setdefault(full, []).append((metric, s))
        if 'kvmtopVmIndex' in labels:
            v = labels['kvmtopVmIndex']
            if labels.get('vm_name') != vm_name.get(v) or labels.get('vm_uuid') != vm_uuid.get(v):
                label_bad.append('%s %s' % (prom, labels))
        for l in idx_names:
            if l in dev_cols:
                key = (l, '.'.join(labels[x] for x in idx_names))
                if labels.get('device') != dev_name.get(key):
                    label_bad.append('%s %s (device %s)' % (prom, labels, dev_name.get(key)))

ok(len(samples) > 100, 'the scrape has samples (%d)' % len(samples))
ok(not missing, 'every instance the agent serves is in the scrape', '\n'.join(missing))
ok(not label_bad, 'every per-VM sample has vm_name and vm_uuid labels, every device sample its name',
   '\n'.join(label_bad))
ok(sorted(set(s[1].get('vm_name') for s in samples if 'vm_name' in s[1])) == sorted(vm_name.values()),
   'samples for every VM: %s' % ' '.join(sorted(vm_name.values())))

# ---- every value equals snmpget's ----
truth = snmp('snmpget', sorted(want_oids))
bad = []
counted = {}
for full, uses in sorted(want_oids.items()):
    for metric, (prom, labels, value) in uses:
        t = metric['type']
        counted[t] = counted.get(t, 0) + 1
        v = truth.get(full)
        if v is None:
            bad.append('%s: no value from snmpget' % full)
        elif metric['name'] == 'kvmtopAgentLastRefreshAge':
            pass  # the time since the collection: it grows between the two reads
        elif t in ('gauge', 'counter'):
            if float(value) != float(v):
                bad.append('%s %s: scrape %s, snmpget %s' % (prom, full, value, v))
        elif t == 'DisplayString':
            if labels.get(metric['name']) != v or float(value) != 1:
                bad.append('%s %s: scrape %s, snmpget %s' % (prom, full, labels, v))
        elif t == 'EnumAsInfo':
            if labels.get(metric['name']) != metric['enum_values'][int(v)]:
                bad.append('%s %s: scrape %s, snmpget %s' % (prom, full, labels, v))
        elif t == 'EnumAsStateSet':
            state = labels.get(metric['name'])
            if (float(value) == 1) != (state == metric['enum_values'][int(v)]):
                bad.append('%s %s: scrape %s=%s, snmpget %s' % (prom, full, state, value, v))
        else:
            bad.append('%s: type %s not compared' % (prom, t))
ok(not bad, 'every sample equals snmpget (%s)' % ', '.join('%d %s' % (c, t) for t, c in sorted(counted.items())),
   '\n'.join(bad))
types = {m['name']: m['type'] for m in module['metrics']}
ok(types.get('kvmtopVmCpuTime') == 'counter' and types.get('kvmtopVmBlkRdBytes') == 'counter'
   and types.get('kvmtopVmMemRss') == 'gauge',
   'Counter64 counts are counters, KvmtopGauge64 values gauges')
print('# COUNT %d %d' % (n, failed))
