/*
 * The devices of a domain from its XML description, with libxml2.
 *
 * The description is fetched only when a VM appears or changes (see
 * collect/libvirt_dev.c), so a DOM tree is cheap enough here; a walk over
 * the children of <devices> finds what we need without XPath.  libvirt
 * writes the document, but it is parsed as untrusted anyway: no network,
 * no DTD loading, no entity substitution, errors kept quiet (the caller
 * logs one line).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "collect/domxml.h"

#define KT_XML_FLAGS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The first child element of @parent called @name, or NULL. */
static const xmlNode *child(const xmlNode *parent, const char *name)
{
	const xmlNode *n;

	for (n = parent->children; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

/*
 * The value of attribute @attr of child @elem of @parent, malloc'd, or
 * NULL when either is missing.  *oom is set when memory ran out.
 */
static char *child_attr(const xmlNode *parent, const char *elem,
			const char *attr, bool *oom)
{
	const xmlNode *n = elem != NULL ? child(parent, elem) : parent;
	xmlChar *v;
	char *copy;

	if (n == NULL ||
	    (v = xmlGetProp((xmlNode *)n, (const xmlChar *)attr)) == NULL)
		return NULL;
	if ((copy = strdup((const char *)v)) == NULL)
		*oom = true;
	xmlFree(v);
	return copy;
}

/* "" when @s is NULL (the attribute was missing). */
static char *or_empty(char *s, bool *oom)
{
	if (s != NULL)
		return s;
	if ((s = strdup("")) == NULL)
		*oom = true;
	return s;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c;
	if (c >= 'a' && c <= 'f')
		return c;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 'a';
	return -1;
}

int kt_mac_normalize(const char *s, char out[18])
{
	size_t i;
	int d;

	out[0] = '\0';
	if (s == NULL || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':')
				goto bad;
			out[i] = ':';
		} else if ((d = hex_digit(s[i])) < 0) {
			goto bad;
		} else {
			out[i] = (char)d;
		}
	}
	out[17] = '\0';
	return 0;
bad:
	out[0] = '\0';
	return -EINVAL;
}

/* <disk type='...'> and the <source> attribute that holds its path. */
static enum kt_disk_source source_type(const char *type, const char **attr)
{
	*attr = NULL;
	if (type == NULL || strcmp(type, "file") == 0) {
		*attr = "file"; /* libvirt's default when type is missing */
		return KT_SRC_FILE;
	}
	if (strcmp(type, "block") == 0) {
		*attr = "dev";
		return KT_SRC_BLOCK;
	}
	if (strcmp(type, "network") == 0) {
		*attr = "name";
		return KT_SRC_NETWORK;
	}
	return KT_SRC_OTHER;
}

/* Whether <disk device='...'> is a disk (the default) and not a CD-ROM. */
static bool is_disk_device(const xmlNode *n)
{
	xmlChar *dev = xmlGetProp((xmlNode *)n, (const xmlChar *)"device");
	bool disk = dev == NULL || strcmp((const char *)dev, "disk") == 0;

	xmlFree(dev);
	return disk;
}

/* Fills @d from <disk> @n; 1 when it is to be skipped, -ENOMEM. */
static int parse_disk(const xmlNode *n, struct kt_xml_disk *d)
{
	char *type = NULL;
	const char *attr;
	bool oom = false;
	int r = 1;

	memset(d, 0, sizeof(*d));
	if (!is_disk_device(n))
		return 1;
	d->target = child_attr(n, "target", "dev", &oom);
	type = child_attr(n, NULL, "type", &oom);
	if (oom || d->target == NULL || d->target[0] == '\0')
		goto out;
	d->type = source_type(type, &attr);
	if (attr != NULL)
		d->source = child_attr(n, "source", attr, &oom);
	/* A file or block disk without a path is an empty drive. */
	if (d->type != KT_SRC_OTHER &&
	    (d->source == NULL || d->source[0] == '\0'))
		d->type = KT_SRC_NONE;
	d->source = or_empty(d->source, &oom);
	r = oom ? -ENOMEM : 0;
out:
	free(type);
	if (r != 0) {
		free(d->target);
		free(d->source);
		memset(d, 0, sizeof(*d));
	}
	return oom ? -ENOMEM : r;
}

static bool mac_seen(const struct kt_domxml *x, const char *mac)
{
	size_t i;

	for (i = 0; i < x->n_ifs; i++)
		if (strcmp(x->ifs[i].mac, mac) == 0)
			return true;
	return false;
}

/* Fills @f from <interface> @n; 1 when it is to be skipped, -ENOMEM. */
static int parse_iface(const struct kt_domxml *x, const xmlNode *n,
		       struct kt_xml_iface *f)
{
	bool oom = false;
	char *mac;
	int r;

	memset(f, 0, sizeof(*f));
	mac = child_attr(n, "mac", "address", &oom);
	r = kt_mac_normalize(mac, f->mac) != 0 || mac_seen(x, f->mac) ? 1 : 0;
	free(mac);
	if (oom)
		return -ENOMEM;
	if (r != 0)
		return 1;
	f->name = or_empty(child_attr(n, "target", "dev", &oom), &oom);
	f->model = or_empty(child_attr(n, "model", "type", &oom), &oom);
	if (!oom)
		return 0;
	free(f->name);
	free(f->model);
	memset(f, 0, sizeof(*f));
	return -ENOMEM;
}

/* Room for one more element in *@v (@n used, @cap allocated). */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap != 0 ? *cap * 2 : 4;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* One child of <devices>: a disk, an interface, or something we skip. */
static int parse_device(const xmlNode *n, struct kt_domxml *x, size_t *cap_d,
			size_t *cap_i)
{
	int r;

	if (is_elem(n, "disk")) {
		if (grow((void **)&x->disks, x->n_disks, cap_d,
			 sizeof(*x->disks)) != 0)
			return -ENOMEM;
		r = parse_disk(n, &x->disks[x->n_disks]);
		if (r == 0)
			x->n_disks++;
		return r < 0 ? r : 0;
	}
	if (is_elem(n, "interface")) {
		if (grow((void **)&x->ifs, x->n_ifs, cap_i, sizeof(*x->ifs)) !=
		    0)
			return -ENOMEM;
		r = parse_iface(x, n, &x->ifs[x->n_ifs]);
		if (r == 0)
			x->n_ifs++;
		return r < 0 ? r : 0;
	}
	return 0;
}

static int parse_devices(const xmlNode *root, struct kt_domxml *x)
{
	const xmlNode *devs = child(root, "devices"), *n;
	size_t cap_d = 0, cap_i = 0;
	int r;

	if (devs == NULL)
		return 0; /* a domain without devices is well-formed */
	for (n = devs->children; n != NULL; n = n->next)
		if ((r = parse_device(n, x, &cap_d, &cap_i)) != 0)
			return r;
	return 0;
}

int kt_domxml_parse(const char *xml, size_t len, struct kt_domxml *out)
{
	const xmlNode *root;
	xmlDoc *doc;
	int r;

	memset(out, 0, sizeof(*out));
	if (xml == NULL || len == 0 || len > INT_MAX)
		return -EINVAL;
	/* libvirt initialised libxml2 already; this only makes sure. */
	xmlInitParser();
	doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL, KT_XML_FLAGS);
	if (doc == NULL)
		return -EINVAL;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "domain"))
		r = -EINVAL;
	else
		r = parse_devices(root, out);
	xmlFreeDoc(doc);
	if (r != 0)
		kt_domxml_clear(out);
	return r;
}

void kt_domxml_clear(struct kt_domxml *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_disks; i++) {
		free(d->disks[i].target);
		free(d->disks[i].source);
	}
	for (i = 0; i < d->n_ifs; i++) {
		free(d->ifs[i].name);
		free(d->ifs[i].model);
	}
	free(d->disks);
	free(d->ifs);
	memset(d, 0, sizeof(*d));
}
