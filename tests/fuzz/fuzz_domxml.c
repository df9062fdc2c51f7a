/*
 * libFuzzer harness of the domain XML parser (collect/domxml.h): the
 * description virDomainGetXMLDesc returns, on an exactly-sized copy
 * (kt_domxml_parse takes a length; libxml2 reads only that many bytes),
 * and kt_mac_normalize on a NUL-terminated copy, as it gets attribute
 * values.  LeakSanitizer, which libFuzzer runs after each input, catches a
 * device list that is not freed on an error path; the checks hold the
 * result to the header: an empty result on error, targets never empty,
 * sources and names never NULL, MAC addresses normalised and unique.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collect/domxml.h"
#include "fuzz.h"

/* What domxml.h promises about one disk. */
static void check_disk(const struct kt_xml_disk *d)
{
	FUZZ_CHECK(d->target != NULL && d->target[0] != '\0');
	FUZZ_CHECK(d->source != NULL);
	switch (d->type) {
	case KT_SRC_FILE:
	case KT_SRC_BLOCK:
	case KT_SRC_NETWORK:
		FUZZ_CHECK(d->source[0] != '\0');
		break;
	case KT_SRC_NONE:
	case KT_SRC_OTHER:
		FUZZ_CHECK(d->source[0] == '\0');
		break;
	default:
		FUZZ_CHECK(!"a disk type outside enum kt_disk_source");
	}
}

static void check_ifaces(const struct kt_domxml *x)
{
	char mac[18];
	size_t i, j;

	for (i = 0; i < x->n_ifs; i++) {
		FUZZ_CHECK(x->ifs[i].name != NULL && x->ifs[i].model != NULL);
		/* Normalised already: normalising again changes nothing. */
		FUZZ_CHECK(kt_mac_normalize(x->ifs[i].mac, mac) == 0 &&
			   strcmp(mac, x->ifs[i].mac) == 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(x->ifs[i].mac, x->ifs[j].mac) != 0);
	}
}

static void fuzz_parse(const uint8_t *data, size_t size)
{
	struct kt_domxml x;
	char *xml = fuzz_copy(data, size);
	size_t i;
	int r;

	r = kt_domxml_parse(xml, size, &x);
	free(xml);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r != 0) {
		FUZZ_CHECK(fuzz_all_zero(&x, sizeof(x)));
		return;
	}
	for (i = 0; i < x.n_disks; i++)
		check_disk(&x.disks[i]);
	check_ifaces(&x);
	kt_domxml_clear(&x);
	FUZZ_CHECK(fuzz_all_zero(&x, sizeof(x)));
}

static void fuzz_mac(const uint8_t *data, size_t size)
{
	char *s = fuzz_strdup(data, size), out[18];
	size_t i;
	int r;

	memset(out, 'x', sizeof(out));
	r = kt_mac_normalize(s, out);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (r != 0) {
		FUZZ_CHECK(out[0] == '\0');
	} else {
		FUZZ_CHECK(strlen(out) == 17);
		for (i = 0; i < 17; i++) {
			if (i % 3 == 2)
				FUZZ_CHECK(out[i] == ':');
			else
				FUZZ_CHECK(strchr("0123456789abcdef", out[i]) !=
					   NULL);
		}
	}
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(data, size);
	fuzz_mac(data, size);
	return 0;
}
