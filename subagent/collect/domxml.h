/*
 * The devices of a domain from its XML description (virDomainGetXMLDesc):
 * the disks with their target and source, the network interfaces with their
 * host device, MAC address and model.  Only what the statistics calls and
 * the device tables need; everything else in the description is ignored.
 */
#ifndef KT_DOMXML_H
#define KT_DOMXML_H

#include <stdbool.h>
#include <stddef.h>

/* Where a disk's data lives: <disk type='...'> with its <source>. */
enum kt_disk_source {
	KT_SRC_NONE,	/* no <source> (an empty drive) */
	KT_SRC_FILE,	/* <source file='PATH'/> */
	KT_SRC_BLOCK,	/* <source dev='PATH'/> */
	KT_SRC_NETWORK, /* <source protocol='...' name='NAME'/> */
	KT_SRC_OTHER,	/* volume, dir, nvme, vhostuser...: no path here */
};

struct kt_xml_disk {
	char *target; /* <target dev='vda'/>, never NULL or empty */
	char *source; /* the path or network name, "" for none/other */
	enum kt_disk_source type;
};

struct kt_xml_iface {
	char *name;   /* <target dev='vnet0'/>, "" when the XML has none */
	char mac[18]; /* <mac address=.../>, lowercase "52:54:00:12:34:56" */
	char *model;  /* <model type='virtio'/>, "" when none */
};

struct kt_domxml {
	struct kt_xml_disk *disks; /* in document order */
	size_t n_disks;
	struct kt_xml_iface *ifs; /* in document order */
	size_t n_ifs;
};

/*
 * Parses a domain's XML description of @len bytes.  Keeps the disks of
 * device='disk' (a missing device attribute means disk, as in libvirt) with
 * a target; CD-ROMs, floppies and LUNs are no disks to us.  Keeps the
 * interfaces with a well-formed MAC address, the first of a MAC seen twice.
 * Returns 0, -EINVAL when @xml is not a well-formed <domain> document, or
 * -ENOMEM; @out is reset on entry and left empty on error.  Never loads
 * anything from the network or the file system (no DTD, no entities).
 */
int kt_domxml_parse(const char *xml, size_t len, struct kt_domxml *out);

/* Frees what @d owns and empties it.  NULL-safe. */
void kt_domxml_clear(struct kt_domxml *d);

/*
 * "52:54:00:AB:cd:0F" -> "52:54:00:ab:cd:0f" in @out; -EINVAL unless @s is
 * six pairs of hex digits separated by colons.
 */
int kt_mac_normalize(const char *s, char out[18]);

#endif
