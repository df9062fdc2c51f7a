/*
 * The printers of --print: a snapshot as kvmtop-style text columns or as
 * JSON.  They read only the snapshot, like the SNMP handlers do.
 *
 * Both return 0, or -1 when writing to @out failed (they fflush it).
 * @collectors (KT_COLLECT_* bits) says which column groups to print.
 */
#ifndef KT_PRINT_H
#define KT_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "snapshot.h"

int kt_print_text(FILE *out, const struct kt_snapshot *s, unsigned collectors);
int kt_print_json(FILE *out, const struct kt_snapshot *s, unsigned collectors);

/*
 * The cells of the text printers (this one and print/host_print.c): a tab
 * before each but the @first of a line, "-" for what is unavailable.
 * kt_text_centi() prints hundredths with two decimals (3750 -> 37.50);
 * kt_text_name() prints "-" for NULL or "" and "?" for a control character,
 * which would break the columns.
 */
void kt_text_u64(FILE *out, bool first, bool available, uint64_t v);
void kt_text_centi(FILE *out, bool first, bool available, uint32_t centi);
void kt_text_name(FILE *out, bool first, const char *name);

/* The RFC 7666 name of a state ("running", "shutdown", ...). */
const char *kt_print_state_name(enum kt_vm_state state);

/*
 * Which values are available, shared so that both printers agree: what is
 * unavailable prints as "-" or null, never as a made-up 0.
 */
static inline bool kt_print_has_vcpu_times(const struct kt_vm *vm)
{
	return vm->cpu.valid && vm->cpu.vcpus_found;
}

static inline bool kt_print_has_vcpu_rates(const struct kt_vm *vm)
{
	return kt_print_has_vcpu_times(vm) && vm->cpu.has_rate;
}

static inline bool kt_print_has_other_rates(const struct kt_vm *vm)
{
	return vm->cpu.valid && vm->cpu.has_rate;
}

#endif
