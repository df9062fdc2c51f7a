#!/bin/busybox sh
# /init of the e2e guests' initramfs (tests/e2e/lib.sh builds it): loads
# the virtio modules in the order listed in /mod/order (dependencies first),
# then runs the load named on the kernel command line and waits forever.
#   kt.load=cpu   one busy loop per vCPU
#   kt.load=disk  direct (uncached) reads and writes of /dev/vda, in a loop
#   kt.load=net   ARP requests from kt.ip (link-local) on eth0; nothing else
#                 is configured: no other address, no DHCP, no IPv6
#   kt.load=idle  nothing
#   kt.load=poweroff  powers the guest off (a shutdown from inside)
# Lines starting "kt-e2e:" on the console tell the test how far it got.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in $(cat /mod/order); do
	insmod "/mod/$m.ko" || echo "kt-e2e: insmod $m failed"
done

load=idle
ip=
for w in $(cat /proc/cmdline); do
	case "$w" in
	kt.load=*) load=${w#kt.load=} ;;
	kt.ip=*) ip=${w#kt.ip=} ;;
	esac
done

wait_for() { # PATH: devices appear when their driver has probed them
	n=1200 # 120 s: probing is slow in a TCG guest on a busy host
	while [ ! -e "$1" ] && [ $n -gt 0 ]; do
		usleep 100000
		n=$((n - 1))
	done
	[ -e "$1" ] || echo "kt-e2e: $1 missing"
}

case "$load" in
cpu)
	i=0
	while [ $i -lt "$(nproc)" ]; do
		(while :; do :; done) &
		i=$((i + 1))
	done
	;;
disk)
	wait_for /dev/vda
	(while :; do
		dd if=/dev/vda of=/dev/null bs=64k count=64 iflag=direct 2>/dev/null
		dd if=/dev/zero of=/dev/vda bs=64k count=64 oflag=direct 2>/dev/null
		usleep 100000
	done) &
	;;
net)
	wait_for /sys/class/net/eth0
	ip link set eth0 up
	ip addr add "$ip/16" dev eth0
	# No one answers 169.254.0.1: arping keeps asking, once a second.
	(while :; do
		arping -q -c 60 -I eth0 -s "$ip" 169.254.0.1
	done) &
	;;
poweroff)
	echo "kt-e2e: load started: $load"
	sync
	poweroff -f
	;;
esac
echo "kt-e2e: load started: $load"
while :; do
	sleep 3600
done
