// Walks an OID subtree with the npm net-snmp client (an SNMP implementation
// independent of net-snmp's C library) and prints one "OID TYPE VALUE" line
// per varbind: strings as text, Counter64 as a decimal integer.
// Usage: node walk_node.js HOST:PORT ROOT_OID
"use strict";
const path = require("path");
// KT_NODE_MODULES: where tools/install-deps.sh installed the npm packages
// (tests/node_modules of the source tree; make distcheck's tree has none).
const modules = process.env.KT_NODE_MODULES || path.join(__dirname, "..", "node_modules");
const snmp = require(path.join(modules, "net-snmp"));

const [target, root] = process.argv.slice(2);
const [host, port] = target.split(":");
const session = snmp.createSession(host, "public", {
	port: Number(port), version: snmp.Version2c, timeout: 10000, retries: 1,
});

function counter64(buf) {
	let v = 0n;
	for (const b of buf) v = (v << 8n) | BigInt(b);
	return v.toString();
}

function show(vb) {
	switch (vb.type) {
	case snmp.ObjectType.OctetString: return ["STRING", vb.value.toString("utf8")];
	case snmp.ObjectType.Counter64: return ["COUNTER64", counter64(vb.value)];
	case snmp.ObjectType.Gauge: return ["GAUGE", String(vb.value)];
	case snmp.ObjectType.Integer: return ["INTEGER", String(vb.value)];
	default: return [snmp.ObjectType[vb.type] || String(vb.type), String(vb.value)];
	}
}

session.subtree(root.replace(/^\./, ""), 20, (varbinds) => {
	for (const vb of varbinds) {
		if (snmp.isVarbindError(vb)) {
			console.error(snmp.varbindError(vb));
			process.exitCode = 1;
			continue;
		}
		const [type, value] = show(vb);
		console.log(`.${vb.oid} ${type} ${value}`);
	}
}, (error) => {
	if (error) {
		console.error(error.toString());
		process.exitCode = 1;
	}
	session.close();
});
