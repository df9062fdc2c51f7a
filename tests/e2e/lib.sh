# Shared by the end-to-end tests (sourced, bash): a real libvirtd on this
# machine, tiny transient guests booted straight from Debian's kernel and a
# busybox initramfs built here, and the sources the tests compare the agent
# with (virsh, /proc read by the test itself).  Builds on ../lib/agent.sh
# (TAP helpers, the private snmpd, the subagent).
#
# Everything a test starts it stops on exit, even after a failed check: its
# guests (named kt-e2e-*), and libvirtd and virtlogd when the test started
# them.  The e2e scripts take a machine-wide lock (/run/lock), so that
# `make -j2 check`, or two trees tested at once, run them one after the
# other: they share libvirtd, the guest and tap names and the host CPUs that
# the noisy-neighbour test measures.
#
# Without root, QEMU, a kernel or libvirt the scripts skip (1..0 # SKIP),
# unless KT_REQUIRE_E2E=1 (CI), where a missing piece is a failure.  They
# take a few minutes and load both CPUs: KT_SKIP_E2E=1 skips them.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/agent.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lock.sh"

KT_E2E_URI=qemu:///system
KT_E2E_T0=$(date +%s)
KT_E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KT_E2E_GUESTS=()       # names of the guests this test created
KT_E2E_DEFINED=()      # names of persistent domains this test defined
declare -A KT_E2E_UUID # name -> UUID (we choose them, to start a guest again)
declare -A KT_E2E_TAP  # name -> host tap device
declare -A KT_E2E_CONSOLE # name -> serial console log
KT_E2E_NTAP=0
KT_E2E_STARTED_LIBVIRTD=""  # PIDs of the daemons this test started
KT_E2E_STARTED_VIRTLOGD=""

# Bounded: a libvirtd left stopped (tests/e2e/faults.sh) must not hang a run.
kt_virsh() { timeout "$KT_PATIENCE" virsh -q -c "$KT_E2E_URI" "$@"; }

# Skips the whole script, or fails it when the e2e suite is required.
kt_e2e_skip() {
	if [ "${KT_REQUIRE_E2E:-0}" = 1 ]; then
		echo "Bail out! end-to-end test required (KT_REQUIRE_E2E=1) but $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

# The newest Debian kernel in /boot whose modules are installed.
kt_e2e_find_kernel() {
	local k v
	KT_E2E_KERNEL="" KT_E2E_KVER=""
	for k in $(ls /boot/vmlinuz-* 2>/dev/null | sort -V); do
		v=${k#/boot/vmlinuz-}
		[ -d "/lib/modules/$v/kernel" ] || continue
		KT_E2E_KERNEL=$k KT_E2E_KVER=$v
	done
	[ -n "$KT_E2E_KERNEL" ]
}

# What the guests need from the machine; skips (or fails) when it lacks it.
kt_e2e_requirements() {
	local c
	[ "${KT_SKIP_E2E:-0}" = 1 ] && kt_e2e_skip "KT_SKIP_E2E=1"
	[ "$(id -u)" = 0 ] || kt_e2e_skip "not root (libvirtd and QEMU's /proc files need root)"
	PATH=$PATH:/usr/sbin:/sbin
	for c in virsh:libvirt-clients libvirtd:libvirt-daemon \
		virtlogd:libvirt-daemon qemu-system-x86_64:qemu-system-x86 \
		qemu-img:qemu-utils cpio:cpio modinfo:kmod flock:util-linux \
		busybox:busybox-static; do
		command -v "${c%%:*}" >/dev/null ||
			kt_e2e_skip "${c%%:*} not found (Debian package ${c#*:})"
	done
	KT_E2E_QEMU=$(command -v qemu-system-x86_64)
	KT_E2E_BUSYBOX=$(command -v busybox)
	ldd "$KT_E2E_BUSYBOX" 2>&1 | grep -q 'not a dynamic' ||
		kt_e2e_skip "$KT_E2E_BUSYBOX is not static (install busybox-static)"
	kt_e2e_find_kernel ||
		kt_e2e_skip "no /boot/vmlinuz-* with modules (install linux-image-amd64)"
	# Linux guests run under TCG (under nested KVM they hang at boot);
	# the guest without an OS runs under KVM when the host has it.
	"$KT_E2E_QEMU" -accel help 2>/dev/null | grep -qx tcg ||
		kt_e2e_skip "$KT_E2E_QEMU has no TCG accelerator"
	KT_E2E_BIOS_TYPE=qemu
	[ -c /dev/kvm ] && [ -w /dev/kvm ] && KT_E2E_BIOS_TYPE=kvm
	return 0
}

# One e2e script at a time on this machine (see the top of this file), from
# whichever tree or build directory: tests/lib/lock.sh.
kt_e2e_lock() {
	kt_lock_take "${0##*/}" || kt_bail "the machine-wide test lock was not obtained"
}

kt_e2e_setup() {
	kt_e2e_requirements
	kt_e2e_lock
	KT_E2E_T0=$(date +%s) # the script's duration, not its wait for the lock
	kt_setup
	# QEMU may run as another user when libvirtd was not started by us.
	chmod 755 "$KT_TMP"
	trap kt_e2e_cleanup EXIT
	kt_e2e_libvirt_start
	kt_e2e_destroy_leftovers
}

# ---- libvirt ----

# Runs QEMU as root: the guests' files live in the test's private temp dir,
# and the tests read every QEMU process's /proc files.  Written only when we
# start libvirtd ourselves; an existing qemu.conf is kept as .kt-e2e-orig.
kt_e2e_qemu_conf() {
	local f=/etc/libvirt/qemu.conf
	grep -q '^# kvmtop-snmp e2e' "$f" 2>/dev/null && return 0
	mkdir -p /etc/libvirt
	[ -f "$f" ] && [ ! -f "$f.kt-e2e-orig" ] && cp -p "$f" "$f.kt-e2e-orig"
	cat > "$f" <<-'EOF'
	# kvmtop-snmp e2e tests (tests/e2e/lib.sh): QEMU runs as root.
	user = "root"
	group = "root"
	EOF
}

# Starts DAEMON -d unless one of this user runs (another user's session
# libvirtd, e.g. the unprivileged tests', is not ours); prints the PID of
# the one it started.
kt_e2e_daemon() {
	local name=$1 pid
	pgrep -u "$(id -u)" -x "$name" >/dev/null && return 0
	rm -f "/run/$name.pid"
	"$name" -d </dev/null >/dev/null 2>&1 || return 1
	kt_wait_for $((KT_PATIENCE * 10)) test -s "/run/$name.pid" || return 1
	pid=$(cat "/run/$name.pid")
	echo "# started $name (pid $pid)" >&2
	echo "$pid"
}

kt_e2e_libvirt_start() {
	if kt_wait_for 1 virsh -c "$KT_E2E_URI" version; then
		echo "# using the running libvirtd"
		return 0
	fi
	getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
	getent passwd libvirt-qemu >/dev/null ||
		useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
	# The daemons log and keep state here; a trimmed image may lack them.
	mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt/qemu /run/libvirt
	pgrep -u "$(id -u)" -x libvirtd >/dev/null || kt_e2e_qemu_conf
	KT_E2E_STARTED_VIRTLOGD=$(kt_e2e_daemon virtlogd) ||
		kt_e2e_skip "virtlogd does not start"
	KT_E2E_STARTED_LIBVIRTD=$(kt_e2e_daemon libvirtd) ||
		kt_e2e_skip "libvirtd does not start: $(tail -3 /var/log/libvirt/libvirtd.log 2>/dev/null)"
	kt_wait_for $((KT_PATIENCE * 10)) virsh -c "$KT_E2E_URI" version ||
		kt_e2e_skip "libvirtd does not answer on $KT_E2E_URI: $(tail -3 /var/log/libvirt/libvirtd.log 2>/dev/null)"
}

# Stops a daemon we started: SIGTERM, then SIGKILL after 15 s.
kt_e2e_stop_daemon() {
	local pid=$1 n=150
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		n=$((n - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# Guests of an earlier run that was killed before its cleanup.
kt_e2e_destroy_leftovers() {
	local d
	for d in $(virsh -q -c "$KT_E2E_URI" list --name 2>/dev/null | grep '^kt-e2e-'); do
		echo "# destroying the leftover guest $d"
		kt_virsh destroy "$d" >/dev/null 2>&1
	done
	for d in $(virsh -q -c "$KT_E2E_URI" list --all --name 2>/dev/null | grep '^kt-e2e-'); do
		kt_virsh undefine "$d" >/dev/null 2>&1
	done
}

kt_e2e_cleanup() {
	local name pid jobs=()
	for name in "${KT_E2E_GUESTS[@]}"; do
		kt_virsh destroy "$name" >/dev/null 2>&1 &
		jobs+=($!)
	done
	for pid in "${jobs[@]}"; do
		wait "$pid"
	done
	for name in "${KT_E2E_DEFINED[@]}"; do
		kt_virsh undefine "$name" >/dev/null 2>&1
	done
	# A QEMU that libvirt failed to stop outlives libvirtd: end it by UUID.
	for name in "${KT_E2E_GUESTS[@]}"; do
		for pid in $(kt_e2e_qemu_pid "$name"); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	kt_e2e_stop_daemon "$KT_E2E_STARTED_LIBVIRTD"
	kt_e2e_stop_daemon "$KT_E2E_STARTED_VIRTLOGD"
	kt_cleanup
}

# ---- guests ----

# Module names, dependencies first, as `modinfo -F depends` orders them.
kt_e2e_mod_order() {
	local m d
	for m in "$@"; do
		case " $KT_E2E_MODS " in *" $m "*) continue ;; esac
		d=$(modinfo -k "$KT_E2E_KVER" -F depends "$m") || return 1
		kt_e2e_mod_order ${d//,/ } || return 1
		KT_E2E_MODS="$KT_E2E_MODS $m"
	done
}

# The initramfs of every Linux guest, built once per test in $KT_TMP.
kt_e2e_initramfs() {
	local root=$KT_TMP/initramfs m f
	KT_E2E_INITRD=$KT_TMP/initramfs.cpio
	[ -s "$KT_E2E_INITRD" ] && return 0
	KT_E2E_MODS=""
	kt_e2e_mod_order virtio_pci virtio_blk virtio_net || return 1
	mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/mod"
	cp "$KT_E2E_BUSYBOX" "$root/bin/busybox"
	for m in $KT_E2E_MODS; do
		f=$(modinfo -k "$KT_E2E_KVER" -F filename "$m") || return 1
		case "$f" in
		*.ko) cp "$f" "$root/mod/$m.ko" ;;
		*.ko.xz) xz -dc "$f" > "$root/mod/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" > "$root/mod/$m.ko" ;;
		*) echo "# $m is built in ($f)"; continue ;;
		esac || return 1
		echo "$m" >> "$root/mod/order"
	done
	cp "$KT_E2E_DIR/guest-init.sh" "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) > "$KT_E2E_INITRD"
}

kt_e2e_uuid() { cat /proc/sys/kernel/random/uuid; }

# Devices every guest has: the emulator and a serial console into a file.
kt_e2e_xml_common() { # NAME
	cat <<-EOF
	  <on_poweroff>destroy</on_poweroff>
	  <on_reboot>destroy</on_reboot>
	  <on_crash>destroy</on_crash>
	  <devices>
	    <emulator>$KT_E2E_QEMU</emulator>
	    <serial type='file'><source path='${KT_E2E_CONSOLE[$1]}'/><target port='0'/></serial>
	EOF
}

# kt_e2e_linux_xml NAME LOAD VCPUS MEM_MIB [CPUTUNE_XML]: a TCG guest with a
# qcow2 disk and an unbridged tap, booted from the kernel and our initramfs.
kt_e2e_linux_xml() {
	local name=$1 load=$2 vcpus=$3 mem=$4 tune=${5:-} n=$KT_E2E_NTAP
	KT_E2E_NTAP=$((n + 1))
	KT_E2E_TAP[$name]=kte2e$n
	KT_E2E_CONSOLE[$name]=$KT_TMP/$name.console
	qemu-img create -q -f qcow2 "$KT_TMP/$name.qcow2" 16M || return 1
	cat <<-EOF
	<domain type='qemu'>
	  <name>$name</name>
	  <uuid>${KT_E2E_UUID[$name]}</uuid>
	  <memory unit='MiB'>$mem</memory>
	  <currentMemory unit='MiB'>$mem</currentMemory>
	  <vcpu placement='static'>$vcpus</vcpu>
	  $tune
	  <os>
	    <type arch='x86_64' machine='pc'>hvm</type>
	    <kernel>$KT_E2E_KERNEL</kernel>
	    <initrd>$KT_E2E_INITRD</initrd>
	    <cmdline>console=ttyS0 quiet panic=-1 ipv6.disable=1 kt.load=$load kt.ip=169.254.77.$((n + 1))</cmdline>
	  </os>
	  <features><acpi/></features>
	EOF
	kt_e2e_xml_common "$name"
	cat <<-EOF
	    <disk type='file' device='disk'>
	      <driver name='qemu' type='qcow2'/>
	      <source file='$KT_TMP/$name.qcow2'/>
	      <target dev='vda' bus='virtio'/>
	    </disk>
	    <interface type='ethernet'>
	      <target dev='${KT_E2E_TAP[$name]}'/>
	      <model type='virtio'/>
	    </interface>
	  </devices>
	</domain>
	EOF
}

# kt_e2e_bios_xml NAME VCPUS: no kernel, no disk: SeaBIOS finds nothing to
# boot and waits.  KVM when the host has it (vCPU threads "CPU n/KVM").
kt_e2e_bios_xml() {
	local name=$1 vcpus=$2
	KT_E2E_CONSOLE[$name]=$KT_TMP/$name.console
	cat <<-EOF
	<domain type='$KT_E2E_BIOS_TYPE'>
	  <name>$name</name>
	  <uuid>${KT_E2E_UUID[$name]}</uuid>
	  <memory unit='MiB'>32</memory>
	  <vcpu placement='static'>$vcpus</vcpu>
	  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
	EOF
	kt_e2e_xml_common "$name"
	echo "  </devices>"
	echo "</domain>"
}

# kt_e2e_create NAME: starts the transient guest of $KT_TMP/NAME.xml.
kt_e2e_create() {
	local name=$1 out
	case " ${KT_E2E_GUESTS[*]} " in *" $name "*) ;; *) KT_E2E_GUESTS+=("$name") ;; esac
	if ! out=$(kt_virsh create "$KT_TMP/$name.xml" 2>&1); then
		echo "# virsh create $name: $out"
		tail -5 "/var/log/libvirt/qemu/$name.log" 2>/dev/null | sed 's/^/#   /'
		return 1
	fi
}

# kt_e2e_linux NAME LOAD VCPUS MEM_MIB [CPUTUNE_XML]
kt_e2e_linux() {
	local name=$1
	kt_e2e_initramfs || kt_bail "cannot build the guest initramfs"
	KT_E2E_UUID[$name]=${KT_E2E_UUID[$name]:-$(kt_e2e_uuid)}
	kt_e2e_linux_xml "$@" > "$KT_TMP/$name.xml" || kt_bail "cannot write $name.xml"
	kt_e2e_create "$name"
}

# kt_e2e_bios NAME VCPUS
kt_e2e_bios() {
	local name=$1
	KT_E2E_UUID[$name]=${KT_E2E_UUID[$name]:-$(kt_e2e_uuid)}
	kt_e2e_bios_xml "$@" > "$KT_TMP/$name.xml"
	kt_e2e_create "$name"
}

# Waits until the guest's init says its load runs; shows the console if not.
# A TCG guest boots in tens of seconds on a quiet machine; on a busy one,
# with other guests booting beside it, several times that: by default the
# bound is twice KT_PATIENCE.
kt_e2e_wait_boot() { # NAME [SECONDS]
	local name=$1 s=${2:-$((2 * KT_PATIENCE))}
	if kt_wait_for $((s * 10)) grep -q 'kt-e2e: load started' "${KT_E2E_CONSOLE[$name]}"; then
		return 0
	fi
	echo "# $name did not boot in $s s; its console:"
	tail -n 25 "${KT_E2E_CONSOLE[$name]}" 2>/dev/null | sed 's/^/#   /'
	return 1
}

# PIDs of the QEMU process(es) whose command line carries the guest's UUID:
# found by the test itself, not by the agent.
kt_e2e_qemu_pid() {
	local u=${KT_E2E_UUID[$1]:-}
	[ -n "$u" ] || return 0
	pgrep -f -- "-uuid $u( |\$)"
}

# "run wait count" summed over the vCPU threads ("CPU n/KVM", "CPU n/TCG")
# of PID, from /proc/PID/task/*/{comm,schedstat}.
kt_e2e_vcpu_sched() {
	local pid=$1 t comm run=0 wait=0 n=0 a b c
	for t in /proc/"$pid"/task/*; do
		comm=$(cat "$t/comm" 2>/dev/null) || continue
		[[ $comm =~ ^CPU\ [0-9]+/[A-Za-z]+$ ]] || continue
		read -r a b c < "$t/schedstat" || continue
		run=$((run + a)) wait=$((wait + b)) n=$((n + 1))
	done
	echo "$run $wait $n"
}

# KT_STAT[N] = field N of /proc/PID/stat, numbered as in proc(5)
# (10 minflt, 11 cminflt, 12 majflt, 13 cmajflt, 23 vsize, 24 rss pages).
kt_e2e_stat() {
	local s f
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	read -r -a f <<< "${s##*) }" # the fields after "pid (comm) "
	KT_STAT=(- - - "${f[@]}")
}

# ---- SNMP ----

# kt_e2e_getmany OID...: fills KT_V[OID]=value for every OID that has an
# instance (one request, so the values come from one snapshot).
declare -A KT_V
kt_e2e_getmany() {
	local oid val
	KT_V=()
	while read -r oid val; do
		case "$val" in "No Such"*) continue ;; esac
		KT_V[$oid]=${val//\"/}
	done < <(snmpget -v2c -c public -t 5 -r 1 -On -Oq -Oe "127.0.0.1:$KT_PORT" "$@" 2>/dev/null)
}

# kt_e2e_collect_until MAX CMD...: for an agent whose collections the test
# drives (-f $KT_DRIVEN_FREQUENCY): runs CMD, and while it fails has the
# agent collect (kt_collect_now) and runs it again, at most MAX
# collections.  KT_E2E_COLLECTIONS: the collections it took.  So "within
# two collections" counts collections, however slow the machine.
kt_e2e_collect_until() {
	local max=$1
	shift
	KT_E2E_COLLECTIONS=0
	while ! "$@"; do
		[ "$KT_E2E_COLLECTIONS" -lt "$max" ] || return 1
		kt_collect_now || return 1
		KT_E2E_COLLECTIONS=$((KT_E2E_COLLECTIONS + 1))
	done
}

# kvmtopVmIndex of every VM: fills KT_IDX[UUID]=index from a walk.
declare -A KT_IDX
kt_e2e_indexes() {
	local oid val
	KT_IDX=()
	while read -r oid val; do
		val=${val//\"/}
		[ -n "$val" ] && KT_IDX[$val]=${oid##*.}
	done < <(kt_snmp snmpbulkwalk "$KT_ROOT_OID.1.2.1.2" -On -Oq 2>/dev/null)
}

kt_e2e_wait_count() { # N [TRIES]: polls every 0.05 s, KT_PATIENCE s by default
	local want=$1 tries=${2:-$((KT_PATIENCE * 20))} got
	while [ "$tries" -gt 0 ]; do
		got=$(kt_get "$KT_ROOT_OID.1.1.9.0") && [ "$got" -ge "$want" ] && {
			KT_E2E_COUNT=$got
			return 0
		}
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

kt_e2e_done() {
	echo "# $(basename "$0"): $(($(date +%s) - KT_E2E_T0)) s (guests: Linux under tcg, no-OS guest under $KT_E2E_BIOS_TYPE)"
	kt_done
}
