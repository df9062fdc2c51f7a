#!/bin/sh
# Installs what the NMS tests (tests/nms/) need on Debian 12, next to
# tools/install-deps.sh: Zabbix 6.0 (server for PostgreSQL, and the PHP
# frontend for its JSON-RPC API, served by PHP's own web server in the test),
# PostgreSQL, Apache with PHP for a frontend used by hand, and Prometheus'
# snmp_exporter with its generator; curl and python3-yaml for the tests.
# The services the packages start are stopped and disabled again where an
# init system runs: the tests start private instances of their own.  Root.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="postgresql zabbix-server-pgsql zabbix-frontend-php php-pgsql php-cli
 apache2 libapache2-mod-php prometheus-snmp-exporter curl jq python3 python3-yaml"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-nms-deps: installing$missing"
	apt-get update -q
	# No service starts during the installation (policy-rc.d 101): the
	# tests run their own, on private ports and sockets.
	policy=/usr/sbin/policy-rc.d
	restore=""
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && restore=1
	fi
	rc=0
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing || rc=$?
	[ -n "$restore" ] && rm -f "$policy"
	exit $rc
fi
