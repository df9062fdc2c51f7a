#!/usr/bin/env python3
# Writes the Zabbix 6.0 template for KVMTOP-MIB (kvmtop_snmp.yaml) from the
# tables below.  The committed YAML is what this prints:
#   contrib/zabbix/gen-template.py > contrib/zabbix/kvmtop_snmp.yaml
# (tests/nms/zabbix.sh checks that they agree).
#
# Numeric OIDs throughout: Debian's Zabbix server loads no MIB.  Each
# discovery rule walks the column of the table whose rows exist exactly when
# its values do; columns that a healthy host may lack on a row that exists
# (a driver without block times, an interface without a speed) are walked
# too, and an override leaves their prototypes undiscovered where they are
# absent, so that no created item is ever "not supported".
import hashlib
import sys

R = '.1.3.6.1.4.1.8072.9999.9999.1'
TEMPLATE = 'KVM host kvmtop-snmp by SNMP'
NS_TO_S = '0.000000001'
US_TO_S = '0.000001'
PCT = '0.01'          # 0.01 percent -> percent
MS_TO_S = '0.001'
KIB = '1024'

FAST = '{$KVMTOP.INTERVAL.FAST}'
SLOW = '{$KVMTOP.INTERVAL.SLOW}'
HEARTBEAT = '{$KVMTOP.HEARTBEAT}'

MACROS = [
    ('{$KVMTOP.INTERVAL.FAST}', '1m', 'Update interval of utilisation, rates and states.'),
    ('{$KVMTOP.INTERVAL.SLOW}', '1h', 'Update interval of names, capacities and counts that rarely change.'),
    ('{$KVMTOP.HEARTBEAT}', '6h', 'Unchanged states and names are stored at least this often.'),
    ('{$KVMTOP.LLD.INTERVAL}', '1h', 'How often VMs, vCPUs and devices are discovered.'),
    ('{$KVMTOP.LLD.KEEP}', '7d', 'How long the items of a VM or device that is gone are kept (0: deleted at once).'),
    ('{$KVMTOP.STEAL.WARN}', '10', 'VM CPU steal (percent of its vCPUs\' time) above which a warning fires.'),
    ('{$KVMTOP.STEAL.HIGH}', '30', 'VM CPU steal (percent) above which a high-severity problem fires.'),
    ('{$KVMTOP.STEAL.WINDOW}', '15m', 'How long the steal must stay above a level before the problem fires.'),
    ('{$KVMTOP.STALE.WINDOW}', '5m', 'How long a VM\'s data must stay invalid before the problem fires.'),
]

VALUEMAPS = {
    'kvmtop VM state (RFC 7666)': [
        (1, 'unknown'), (2, 'other'), (3, 'preparing'), (4, 'running'), (5, 'suspending'),
        (6, 'suspended'), (7, 'resuming'), (8, 'paused'), (9, 'migrating'),
        (10, 'shuttingdown'), (11, 'shutdown'), (12, 'crashed')],
    'kvmtop TruthValue': [(1, 'true'), (2, 'false')],
    'kvmtop interface type': [(1, 'physical'), (2, 'bridge'), (3, 'tap'), (4, 'other')],
}


def uuid(*parts):
    """A stable UUIDv4 (as Zabbix wants it) from what the object is."""
    h = hashlib.md5('\0'.join((TEMPLATE,) + parts).encode()).hexdigest()
    return h[:12] + '4' + h[13:16] + '89ab'[int(h[16], 16) % 4] + h[17:]


def item(key, name, oid, vtype='FLOAT', units='', mult=None, rate=False,
         delay=FAST, vmap=None, keep=False, trends=True, component=None, opt=None,
         desc=''):
    """One item or item prototype.  rate: Counter64 as change per second;
    mult: scale after the rate; keep: store only changes (with a heartbeat);
    opt: (macro, column) whose absence leaves a prototype undiscovered."""
    pre = []
    if rate:
        pre.append(('CHANGE_PER_SECOND', []))
    if mult:
        pre.append(('MULTIPLIER', [mult]))
    if keep:
        pre.append(('DISCARD_UNCHANGED_HEARTBEAT', [HEARTBEAT]))
    if rate or mult:
        vtype = 'FLOAT'
    return dict(key=key, name=name, oid=oid, vtype=vtype, units=units, pre=pre,
                delay=delay, vmap=vmap, trends=trends and vtype in ('FLOAT', 'UNSIGNED'),
                component=component, opt=opt, desc=desc)


# ---- template items: the agent and the host ----
A, H = R + '.1', R + '.11'
ITEMS = [
    item('kvmtop.agent.version', 'kvmtop-subagent: version', A + '.1.0', 'CHAR', delay=SLOW, keep=True, component='agent'),
    item('kvmtop.agent.interval', 'kvmtop-subagent: refresh interval', A + '.2.0', units='s', mult=MS_TO_S, delay=SLOW, component='agent'),
    item('kvmtop.agent.duration', 'kvmtop-subagent: collection duration', A + '.4.0', units='s', mult=MS_TO_S, component='agent'),
    item('kvmtop.agent.age', 'kvmtop-subagent: data age', A + '.8.0', units='s', mult=MS_TO_S, component='agent',
         desc='Time since the last completed collection.'),
    item('kvmtop.agent.libvirt', 'kvmtop-subagent: libvirt connected', A + '.5.0', 'UNSIGNED',
         vmap='kvmtop TruthValue', keep=True, component='agent'),
    item('kvmtop.agent.uri', 'kvmtop-subagent: libvirt URI', A + '.7.0', 'CHAR', delay=SLOW, keep=True, component='agent'),
    item('kvmtop.vms', 'VMs defined', A + '.6.0', 'UNSIGNED', component='vm'),
    item('kvmtop.vms.running', 'VMs running', H + '.27.0', 'UNSIGNED', component='vm'),
    item('kvmtop.vms.paused', 'VMs paused', H + '.28.0', 'UNSIGNED', component='vm'),
    item('kvmtop.vms.shutdown', 'VMs shut off', H + '.29.0', 'UNSIGNED', component='vm'),
    item('kvmtop.vms.other', 'VMs in another state', H + '.30.0', 'UNSIGNED', component='vm'),
    item('kvmtop.host.name', 'Host name', H + '.1.0', 'CHAR', delay=SLOW, keep=True, component='host'),
    item('kvmtop.host.cpu.cores', 'Host CPUs', H + '.3.0', 'UNSIGNED', delay=SLOW, component='cpu'),
] + [
    item('kvmtop.host.cpu.' + n, 'Host CPU ' + n, H + '.%d.0' % c, units='%', mult=PCT, component='cpu')
    for n, c in (('user', 7), ('nice', 8), ('system', 9), ('idle', 10), ('iowait', 11),
                 ('irq', 12), ('softirq', 13), ('steal', 14), ('guest', 15))
]

TRIGGERS = [
    dict(name='kvmtop-subagent: libvirt disconnected', priority='HIGH',
         expression='last(/%s/kvmtop.agent.libvirt)=2' % TEMPLATE,
         desc='The agent serves the last data it had, marked stale.'),
    dict(name='kvmtop-subagent: data older than 3 refresh intervals', priority='AVERAGE',
         expression='last(/%s/kvmtop.agent.age)>3*last(/%s/kvmtop.agent.interval)' % (TEMPLATE, TEMPLATE),
         desc='The agent\'s collections stopped or take far longer than its interval.'),
]

# ---- discovery rules ----
VM, CPU, MEM, DSK, NET, IO = (R + '.%d.1' % n for n in (2, 3, 4, 5, 6, 7))
VCPU, BLK, VIF, HDSK, HNET, PSI = (R + '.%d.1' % n for n in (8, 9, 10, 13, 14, 15))
VMTAGS = [('vm', '{#VMNAME}'), ('vm_uuid', '{#VMUUID}')]
VMNAMES = ['{#VMNAME}', VM + '.3', '{#VMUUID}', VM + '.2']
IDX = '.{#SNMPINDEX}'

# JavaScript for rules over tables indexed (VM index, device index): the
# walk of the VM table's name and UUID columns gives rows indexed by the VM
# index alone; they are folded into the device rows.
JOIN_VM = '''var rows = JSON.parse(value);
if (!Array.isArray(rows)) rows = rows.data;
var vms = {}, out = [];
rows.forEach(function (r) {
    if (r['{#SNMPINDEX}'].indexOf('.') < 0) vms[r['{#SNMPINDEX}']] = r;
});
rows.forEach(function (r) {
    var i = r['{#SNMPINDEX}'], vm = vms[i.split('.')[0]];
    if (i.indexOf('.') < 0 || !vm) return;
    r['{#VMNAME}'] = vm['{#VMNAME}'];
    r['{#VMUUID}'] = vm['{#VMUUID}'];
    r['{#DEVINDEX}'] = i.split('.')[1];
    out.push(r);
});
return JSON.stringify(out);'''

# The PSI table is indexed (resource, kind): names for them.
PSI_NAMES = '''var rows = JSON.parse(value);
if (!Array.isArray(rows)) rows = rows.data;
var res = {1: 'cpu', 2: 'io', 3: 'memory'}, kind = {1: 'some', 2: 'full'};
rows.forEach(function (r) {
    var i = r['{#SNMPINDEX}'].split('.');
    r['{#PSIRESOURCE}'] = res[i[0]] || i[0];
    r['{#PSIKIND}'] = kind[i[1]] || i[1];
});
return JSON.stringify(rows);'''


def rule(key, name, columns, protos, exists=None, js=None, triggers=(), graphs=(), desc=''):
    return dict(key=key, name=name, columns=columns, protos=protos, exists=exists, js=js,
                triggers=list(triggers), graphs=list(graphs), desc=desc)


def p(key, name, oid, **kw):
    return item(key + '[{#SNMPINDEX}]', name, oid + IDX, **kw)


def vm_rate(key, name, oid, units, component, mult=None, **kw):
    return p(key, name, oid, units=units, rate=True, mult=mult, component=component, **kw)


def disk_rates(key, name, col, first, rdtime, wrtime):
    """The read/write bytes, requests and times of a disk table whose columns
    from FIRST on are rd bytes, reqs, time, wr bytes, reqs, time."""
    c = [col + '.%d' % (first + n) for n in range(6)]
    return [
        vm_rate(key + '.rd.bytes', name + ' read', c[0], 'B/s', 'disk'),
        vm_rate(key + '.wr.bytes', name + ' write', c[3], 'B/s', 'disk'),
        vm_rate(key + '.rd.reqs', name + ' read requests', c[1], 'rps', 'disk'),
        vm_rate(key + '.wr.reqs', name + ' write requests', c[4], 'wps', 'disk'),
        vm_rate(key + '.rd.time', name + ' time reading per second', c[2], 's', 'disk', mult=NS_TO_S, opt=rdtime),
        vm_rate(key + '.wr.time', name + ' time writing per second', c[5], 's', 'disk', mult=NS_TO_S, opt=wrtime),
    ]


def net_rates(key, name, col, first):
    """The traffic of a network table whose columns from FIRST on are rx
    bytes, packets, errs, drop, then the same for tx."""
    c = [col + '.%d' % (first + n) for n in range(8)]
    return [
        vm_rate(key + '.rx.bytes', name + ' received', c[0], 'bps', 'network', mult='8'),
        vm_rate(key + '.tx.bytes', name + ' sent', c[4], 'bps', 'network', mult='8'),
        vm_rate(key + '.rx.packets', name + ' packets received', c[1], 'pps', 'network'),
        vm_rate(key + '.tx.packets', name + ' packets sent', c[5], 'pps', 'network'),
        vm_rate(key + '.rx.drop', name + ' inbound packets dropped', c[3], 'pps', 'network'),
        vm_rate(key + '.tx.drop', name + ' outbound packets dropped', c[7], 'pps', 'network'),
        vm_rate(key + '.rx.errs', name + ' inbound errors', c[2], 'pps', 'network'),
        vm_rate(key + '.tx.errs', name + ' outbound errors', c[6], 'pps', 'network'),
    ]


V = 'VM {#VMNAME}: '
RULES = [
    rule('kvmtop.vm.discovery', 'VMs', VMNAMES, [
        p('kvmtop.vm.state', V + 'state', VM + '.4', vtype='UNSIGNED', vmap='kvmtop VM state (RFC 7666)',
          keep=True, component='vm'),
        p('kvmtop.vm.valid', V + 'data current', VM + '.6', vtype='UNSIGNED', vmap='kvmtop TruthValue',
          component='vm'),
    ], triggers=[
        dict(name=V + 'crashed', priority='HIGH',
             expression='last(/{T}/kvmtop.vm.state[{#SNMPINDEX}])=12'),
        dict(name=V + 'data stale', priority='WARNING',
             expression='min(/{T}/kvmtop.vm.valid[{#SNMPINDEX}],{$KVMTOP.STALE.WINDOW})=2',
             desc='The VM vanished, or a source of its data (its QEMU process, libvirt) failed.'),
    ], desc='Every VM libvirt defines, running or not: its state only.'),

    rule('kvmtop.vm.cpu.discovery', 'VM CPU and memory',
         ['{#VMCORES}', CPU + '.1', '{#VMSWAP}', MEM + '.9'] + VMNAMES, [
        p('kvmtop.vm.cpu.cores', V + 'vCPUs', CPU + '.1', vtype='UNSIGNED', delay=SLOW, component='cpu'),
        p('kvmtop.vm.cpu.util', V + 'CPU utilisation', CPU + '.6', units='%', mult=PCT, component='cpu',
          desc='Time the vCPU threads ran, over their time (10000 = every vCPU busy).'),
        p('kvmtop.vm.cpu.steal', V + 'CPU steal', CPU + '.7', units='%', mult=PCT, component='cpu',
          desc='Time the vCPU threads waited runnable on the host\'s run queue.'),
        p('kvmtop.vm.cpu.other.util', V + 'emulator threads CPU', CPU + '.8', units='%', mult=PCT, component='cpu'),
        p('kvmtop.vm.cpu.other.steal', V + 'emulator threads steal', CPU + '.9', units='%', mult=PCT, component='cpu'),
        vm_rate('kvmtop.vm.cpu.time', V + 'vCPU time per second', CPU + '.2', 's', 'cpu', mult=NS_TO_S),
        vm_rate('kvmtop.vm.cpu.steal.time', V + 'vCPU steal time per second', CPU + '.3', 's', 'cpu', mult=NS_TO_S),
        p('kvmtop.vm.cpu.threads', V + 'threads', CPU + '.10', vtype='UNSIGNED', keep=True, component='cpu'),
        p('kvmtop.vm.mem.total', V + 'memory maximum', MEM + '.1', vtype='UNSIGNED', units='B', mult=KIB,
          delay=SLOW, component='memory'),
        p('kvmtop.vm.mem.used', V + 'memory current (balloon)', MEM + '.2', vtype='UNSIGNED', units='B',
          mult=KIB, component='memory'),
        p('kvmtop.vm.mem.rss', V + 'QEMU resident memory', MEM + '.4', vtype='UNSIGNED', units='B', component='memory'),
        p('kvmtop.vm.mem.vsize', V + 'QEMU virtual memory', MEM + '.3', vtype='UNSIGNED', units='B',
          delay=SLOW, component='memory'),
        vm_rate('kvmtop.vm.mem.majflt', V + 'major page faults per second', MEM + '.7', '', 'memory'),
        vm_rate('kvmtop.vm.mem.minflt', V + 'minor page faults per second', MEM + '.5', '', 'memory'),
        p('kvmtop.vm.mem.swap', V + 'QEMU memory swapped out', MEM + '.9', vtype='UNSIGNED', units='B',
          keep=True, component='memory', opt='{#VMSWAP}',
          desc='Memory of the VM the host swapped out (VmSwap of its QEMU process): memory overcommit.'),
    ], exists='{#VMCORES}', triggers=[
        dict(name=V + 'CPU steal above {$KVMTOP.STEAL.HIGH}% for {$KVMTOP.STEAL.WINDOW}', priority='HIGH',
             expression='min(/{T}/kvmtop.vm.cpu.steal[{#SNMPINDEX}],{$KVMTOP.STEAL.WINDOW})>{$KVMTOP.STEAL.HIGH}',
             desc='A noisy neighbour: the VM\'s vCPUs wait for a host CPU.'),
        dict(name=V + 'CPU steal above {$KVMTOP.STEAL.WARN}% for {$KVMTOP.STEAL.WINDOW}', priority='WARNING',
             expression='min(/{T}/kvmtop.vm.cpu.steal[{#SNMPINDEX}],{$KVMTOP.STEAL.WINDOW})>{$KVMTOP.STEAL.WARN}',
             depends=V + 'CPU steal above {$KVMTOP.STEAL.HIGH}% for {$KVMTOP.STEAL.WINDOW}',
             desc='A noisy neighbour: the VM\'s vCPUs wait for a host CPU.'),
    ], graphs=[
        (V + 'CPU utilisation and steal', ['kvmtop.vm.cpu.util', 'kvmtop.vm.cpu.steal',
                                            'kvmtop.vm.cpu.other.util']),
        (V + 'memory', ['kvmtop.vm.mem.used', 'kvmtop.vm.mem.rss']),
    ], desc='VMs with a QEMU process: the rows of kvmtopVmCpuTable.'),

    rule('kvmtop.vm.disk.discovery', 'VM disk totals', ['{#VMDISKS}', DSK + '.1', '{#VMRDTIME}', DSK + '.7',
                                                        '{#VMWRTIME}', DSK + '.10'] + VMNAMES, [
        p('kvmtop.vm.disk.count', V + 'disks', DSK + '.1', vtype='UNSIGNED', delay=SLOW, component='disk'),
        p('kvmtop.vm.disk.capacity', V + 'disk capacity', DSK + '.2', vtype='UNSIGNED', units='B', delay=SLOW,
          component='disk'),
        p('kvmtop.vm.disk.allocation', V + 'disk allocation', DSK + '.3', vtype='UNSIGNED', units='B', delay=SLOW,
          component='disk'),
    ] + disk_rates('kvmtop.vm.disk', V + 'disk', DSK, 5, '{#VMRDTIME}', '{#VMWRTIME}'),
    exists='{#VMDISKS}', graphs=[
        (V + 'disk throughput', ['kvmtop.vm.disk.rd.bytes', 'kvmtop.vm.disk.wr.bytes']),
    ], desc='Running VMs: the rows of kvmtopVmDiskTable, summed over their disks.'),

    rule('kvmtop.vm.net.discovery', 'VM network totals', ['{#VMNICS}', NET + '.1'] + VMNAMES, [
        p('kvmtop.vm.net.count', V + 'interfaces', NET + '.1', vtype='UNSIGNED', delay=SLOW, component='network'),
    ] + net_rates('kvmtop.vm.net', V + 'network', NET, 2),
    exists='{#VMNICS}', graphs=[
        (V + 'network traffic', ['kvmtop.vm.net.rx.bytes', 'kvmtop.vm.net.tx.bytes']),
    ], desc='Running VMs: the rows of kvmtopVmNetTable (the guest\'s view), summed over their interfaces.'),

    rule('kvmtop.vm.io.discovery', 'VM process I/O', ['{#VMIORD}', IO + '.1'] + VMNAMES, [
        vm_rate('kvmtop.vm.io.rd.bytes', V + 'QEMU storage read', IO + '.1', 'B/s', 'io'),
        vm_rate('kvmtop.vm.io.wr.bytes', V + 'QEMU storage write', IO + '.2', 'B/s', 'io'),
        vm_rate('kvmtop.vm.io.rchar', V + 'QEMU bytes read', IO + '.3', 'B/s', 'io'),
        vm_rate('kvmtop.vm.io.wchar', V + 'QEMU bytes written', IO + '.4', 'B/s', 'io'),
    ], exists='{#VMIORD}', desc='VMs whose QEMU /proc/PID/io the agent can read (root).'),

    rule('kvmtop.vcpu.discovery', 'vCPUs', ['{#VCPUNUM}', VCPU + '.2'] + VMNAMES, [
        p('kvmtop.vcpu.util', V + 'vCPU {#VCPUNUM} utilisation', VCPU + '.6', units='%', mult=PCT, component='cpu'),
        p('kvmtop.vcpu.steal', V + 'vCPU {#VCPUNUM} steal', VCPU + '.7', units='%', mult=PCT, component='cpu'),
    ], js=JOIN_VM, desc='Every vCPU thread of every VM with a QEMU process: kvmtopVcpuTable.'),

    rule('kvmtop.vm.blk.discovery', 'VM disks', ['{#BLKNAME}', BLK + '.2', '{#BLKSOURCE}', BLK + '.3',
                                                 '{#BLKRDTIME}', BLK + '.9', '{#BLKWRTIME}', BLK + '.12'] + VMNAMES, [
        p('kvmtop.vm.blk.capacity', V + 'disk {#BLKNAME} capacity', BLK + '.4', vtype='UNSIGNED', units='B',
          delay=SLOW, component='disk'),
        p('kvmtop.vm.blk.allocation', V + 'disk {#BLKNAME} allocation', BLK + '.5', vtype='UNSIGNED', units='B',
          delay=SLOW, component='disk'),
    ] + disk_rates('kvmtop.vm.blk', V + 'disk {#BLKNAME}', BLK, 7, '{#BLKRDTIME}', '{#BLKWRTIME}'),
    js=JOIN_VM, graphs=[
        (V + 'disk {#BLKNAME} throughput', ['kvmtop.vm.blk.rd.bytes', 'kvmtop.vm.blk.wr.bytes']),
    ], desc='Every disk of every running VM: kvmtopVmBlkTable.'),

    rule('kvmtop.vm.if.discovery', 'VM interfaces', ['{#IFNAME}', VIF + '.2', '{#IFMAC}', VIF + '.3',
                                                     '{#IFMODEL}', VIF + '.4'] + VMNAMES, net_rates('kvmtop.vm.if', V + 'interface {#IFNAME}', VIF, 6),
    js=JOIN_VM, graphs=[
        (V + 'interface {#IFNAME} traffic', ['kvmtop.vm.if.rx.bytes', 'kvmtop.vm.if.tx.bytes']),
    ], desc='Every interface of every running VM, the guest\'s view: kvmtopVmIfTable.'),

    rule('kvmtop.host.disk.discovery', 'Host disks', ['{#DISKNAME}', HDSK + '.2'], [
        p('kvmtop.host.disk.reads', 'Host disk {#DISKNAME}: reads', HDSK + '.3', units='rps', rate=True, component='disk'),
        p('kvmtop.host.disk.writes', 'Host disk {#DISKNAME}: writes', HDSK + '.7', units='wps', rate=True, component='disk'),
        p('kvmtop.host.disk.rd.bytes', 'Host disk {#DISKNAME}: read', HDSK + '.5', units='B/s', rate=True,
          mult='512', component='disk'),
        p('kvmtop.host.disk.wr.bytes', 'Host disk {#DISKNAME}: write', HDSK + '.9', units='B/s', rate=True,
          mult='512', component='disk'),
        p('kvmtop.host.disk.util', 'Host disk {#DISKNAME}: utilisation', HDSK + '.14', units='%', mult=PCT,
          component='disk'),
        p('kvmtop.host.disk.inflight', 'Host disk {#DISKNAME}: requests in flight', HDSK + '.13', vtype='UNSIGNED',
          component='disk'),
    ], desc='Physical disks and the devices behind VM disks: kvmtopHostDiskTable.'),

    rule('kvmtop.host.if.discovery', 'Host interfaces', ['{#IFNAME}', HNET + '.2', '{#IFSPEED}', HNET + '.19'], [
        p('kvmtop.host.if.rx.bytes', 'Host interface {#IFNAME}: received', HNET + '.3', units='bps', rate=True,
          mult='8', component='network'),
        p('kvmtop.host.if.tx.bytes', 'Host interface {#IFNAME}: sent', HNET + '.11', units='bps', rate=True,
          mult='8', component='network'),
        p('kvmtop.host.if.rx.errs', 'Host interface {#IFNAME}: inbound errors', HNET + '.5', units='pps', rate=True,
          component='network'),
        p('kvmtop.host.if.tx.errs', 'Host interface {#IFNAME}: outbound errors', HNET + '.13', units='pps', rate=True,
          component='network'),
        p('kvmtop.host.if.type', 'Host interface {#IFNAME}: type', HNET + '.20', vtype='UNSIGNED',
          vmap='kvmtop interface type', delay=SLOW, keep=True, component='network'),
        p('kvmtop.host.if.speed', 'Host interface {#IFNAME}: speed', HNET + '.19', vtype='UNSIGNED', units='bps',
          mult='1000000', delay=SLOW, component='network', opt='{#IFSPEED}'),
    ], desc='Every host interface but lo, indexed by ifIndex: kvmtopHostNetTable.'),

    rule('kvmtop.host.psi.discovery', 'Host pressure stall', ['{#PSIAVG10}', PSI + '.3'], [
        p('kvmtop.host.psi.avg10', 'Host {#PSIRESOURCE} pressure ({#PSIKIND}), 10 s', PSI + '.3', units='%',
          mult=PCT, component='host'),
        p('kvmtop.host.psi.avg60', 'Host {#PSIRESOURCE} pressure ({#PSIKIND}), 60 s', PSI + '.4', units='%',
          mult=PCT, component='host'),
        p('kvmtop.host.psi.total', 'Host {#PSIRESOURCE} stall time ({#PSIKIND}) per second', PSI + '.6', units='s',
          rate=True, mult=US_TO_S, component='host'),
    ], js=PSI_NAMES, desc='Pressure stall information, where the kernel has it: kvmtopHostPsiTable.'),
]


# ---- YAML output ----
def q(s):
    return "'" + str(s).replace("'", "''") + "'"


class Out:
    def __init__(self):
        self.lines = []

    def kv(self, ind, k, v):
        if '\n' in str(v):
            self.lines.append(' ' * ind + k + ': |')
            self.lines.extend(' ' * (ind + 2) + ln for ln in str(v).split('\n'))
        else:
            self.lines.append(' ' * ind + k + ': ' + q(v))

    def key(self, ind, k):
        self.lines.append(' ' * ind + k + ':')

    def dash(self, ind, k, v):   # a list element's first key
        self.kv(ind, '- ' + k, v)


def emit_item(o, ind, it, template):
    o.dash(ind, 'uuid', uuid('item', it['key']))
    i = ind + 2
    o.kv(i, 'name', it['name'])
    o.kv(i, 'type', 'SNMP_AGENT')
    o.kv(i, 'snmp_oid', it['oid'])
    o.kv(i, 'key', it['key'])
    o.kv(i, 'delay', it['delay'])
    if not it['trends']:
        o.kv(i, 'trends', '0')
    o.kv(i, 'value_type', it['vtype'])
    if it['units']:
        o.kv(i, 'units', it['units'])
    if it['desc']:
        o.kv(i, 'description', it['desc'])
    if it['vmap']:
        o.key(i, 'valuemap')
        o.kv(i + 2, 'name', it['vmap'])
    if it['pre']:
        o.key(i, 'preprocessing')
        for t, params in it['pre']:
            o.dash(i, 'type', t)
            o.key(i + 2, 'parameters')
            for prm in params or ['']:
                    o.lines.append(' ' * (i + 2) + '- ' + q(prm))
    tags = [('component', it['component'])]
    if '{#VMNAME}' in it['name']:
        tags += VMTAGS
    o.key(i, 'tags')
    for t, v in tags:
        o.dash(i, 'tag', t)
        o.kv(i + 2, 'value', v)


def emit_trigger(o, ind, tr, kind):
    expr = tr['expression'].replace('{T}', TEMPLATE)
    o.dash(ind, 'uuid', uuid(kind, tr['name']))
    i = ind + 2
    o.kv(i, 'expression', expr)
    o.kv(i, 'name', tr['name'])
    o.kv(i, 'priority', tr['priority'])
    if tr.get('desc'):
        o.kv(i, 'description', tr['desc'])
    if tr.get('depends'):
        dep = next(t for r in RULES for t in r['triggers'] if t['name'] == tr['depends'])
        o.key(i, 'dependencies')
        o.dash(i, 'name', dep['name'])
        o.kv(i + 2, 'expression', dep['expression'].replace('{T}', TEMPLATE))
    o.key(i, 'tags')
    o.dash(i, 'tag', 'scope')
    o.kv(i + 2, 'value', 'availability' if 'steal' not in tr['name'] else 'performance')


def emit_rule(o, ind, r):
    o.dash(ind, 'uuid', uuid('rule', r['key']))
    i = ind + 2
    o.kv(i, 'name', r['name'])
    o.kv(i, 'type', 'SNMP_AGENT')
    o.kv(i, 'snmp_oid', 'discovery[' + ','.join(r['columns']) + ']')
    o.kv(i, 'key', r['key'])
    o.kv(i, 'delay', '{$KVMTOP.LLD.INTERVAL}')
    if r['exists']:
        o.key(i, 'filter')
        o.key(i + 2, 'conditions')
        o.dash(i + 2, 'macro', r['exists'])
        o.kv(i + 4, 'operator', 'EXISTS')
        o.kv(i + 4, 'formulaid', 'A')
    o.kv(i, 'lifetime', '{$KVMTOP.LLD.KEEP}')
    o.kv(i, 'description', r['desc'])
    o.key(i, 'item_prototypes')
    for it in r['protos']:
        emit_item(o, i, it, TEMPLATE)
    if r['triggers']:
        o.key(i, 'trigger_prototypes')
        for tr in r['triggers']:
            emit_trigger(o, i, tr, 'trigger_prototype')
    if r['graphs']:
        o.key(i, 'graph_prototypes')
        for name, keys in r['graphs']:
            o.dash(i, 'uuid', uuid('graph', name))
            o.kv(i + 2, 'name', name)
            o.key(i + 2, 'graph_items')
            for n, k in enumerate(keys):
                o.dash(i + 2, 'sortorder', n)
                o.kv(i + 4, 'color', ('1A7C11', 'F63100', '2774A4', 'A54F10')[n])
                o.key(i + 4, 'item')
                o.kv(i + 6, 'host', TEMPLATE)
                o.kv(i + 6, 'key', k + '[{#SNMPINDEX}]')
    if r['js']:
        o.key(i, 'preprocessing')
        o.dash(i, 'type', 'JAVASCRIPT')
        o.key(i + 2, 'parameters')
        o.lines.append(' ' * (i + 2) + '- |')
        o.lines.extend(' ' * (i + 6) + ln for ln in r['js'].split('\n'))
    opts = [it for it in r['protos'] if it['opt']]
    if opts:
        o.key(i, 'overrides')
        for n, it in enumerate(opts):
            o.dash(i, 'name', 'no ' + it['opt'])
            o.kv(i + 2, 'step', n + 1)
            o.key(i + 2, 'filter')
            o.key(i + 4, 'conditions')
            o.dash(i + 4, 'macro', it['opt'])
            o.kv(i + 6, 'operator', 'NOT_EXISTS')
            o.kv(i + 6, 'formulaid', 'A')
            o.key(i + 2, 'operations')
            o.dash(i + 2, 'operationobject', 'ITEM_PROTOTYPE')
            o.kv(i + 4, 'operator', 'LIKE')
            o.kv(i + 4, 'value', it['name'][it['name'].rfind('}') + 1:])
            o.kv(i + 4, 'discover', 'NO_DISCOVER')


def main():
    o = Out()
    o.lines.append('zabbix_export:')
    o.kv(2, 'version', '6.0')
    o.key(2, 'groups')
    o.dash(2, 'uuid', uuid('group'))
    o.kv(4, 'name', 'Templates/Virtualization')
    o.key(2, 'templates')
    o.dash(2, 'uuid', uuid('template'))
    o.kv(4, 'template', TEMPLATE)
    o.kv(4, 'name', TEMPLATE)
    o.kv(4, 'description', 'KVM hypervisor and its VMs through kvmtop-snmp (KVMTOP-MIB), '
         'polled with numeric OIDs: no MIB needed on the Zabbix server. Generated by '
         'contrib/zabbix/gen-template.py.')
    o.key(4, 'groups')
    o.dash(4, 'name', 'Templates/Virtualization')
    o.key(4, 'items')
    for it in ITEMS:
        emit_item(o, 4, it, TEMPLATE)
    o.key(4, 'discovery_rules')
    for r in RULES:
        emit_rule(o, 4, r)
    o.key(4, 'macros')
    for m, v, d in MACROS:
        o.dash(4, 'macro', m)
        o.kv(6, 'value', v)
        o.kv(6, 'description', d)
    o.key(4, 'valuemaps')
    for name, maps in VALUEMAPS.items():
        o.dash(4, 'uuid', uuid('valuemap', name))
        o.kv(6, 'name', name)
        o.key(6, 'mappings')
        for v, nv in maps:
            o.dash(6, 'value', v)
            o.kv(8, 'newvalue', nv)
    o.key(2, 'triggers')
    for tr in TRIGGERS:
        emit_trigger(o, 2, tr, 'trigger')
    sys.stdout.write('\n'.join(o.lines) + '\n')


main()
