/*
 * The one place in C where KVMTOP-MIB's root OID is defined.
 *
 * The module is rooted at net-snmp's playpen, 1.3.6.1.4.1.8072.9999.9999
 * (netSnmpExperimental.9999, which NET-SNMP-MIB calls netSnmpPlaypen), until
 * the project has an IANA Private Enterprise Number.  To rebase the module,
 * change this macro and the `::= { netSnmpExperimental 9999 }` line of
 * mibs/KVMTOP-MIB.txt together (and R= in tests/integration/mib_lint.sh).
 */
#ifndef KVMTOP_OID_H
#define KVMTOP_OID_H

#define KT_OID_ROOT 1, 3, 6, 1, 4, 1, 8072, 9999, 9999
#define KT_OID_ROOT_LEN 9 /* the number of sub-identifiers above */

/* Branches below the root (RFC 4181 layout). */
#define KT_OID_OBJECTS KT_OID_ROOT, 1

/* kvmtopObjects children */
#define KT_OID_AGENT_SUBID 1	 /* kvmtopAgent scalars      */
#define KT_OID_VM_TABLE_SUBID 2	 /* kvmtopVmTable          */
#define KT_OID_CPU_TABLE_SUBID 3 /* kvmtopVmCpuTable       */
#define KT_OID_MEM_TABLE_SUBID 4 /* kvmtopVmMemTable       */
#define KT_OID_VM_DISK_TABLE_SUBID 5   /* kvmtopVmDiskTable   */
#define KT_OID_VM_NET_TABLE_SUBID 6    /* kvmtopVmNetTable    */
#define KT_OID_VM_IO_TABLE_SUBID 7     /* kvmtopVmIoTable     */
#define KT_OID_VCPU_TABLE_SUBID 8      /* kvmtopVcpuTable     */
#define KT_OID_VM_BLK_TABLE_SUBID 9    /* kvmtopVmBlkTable    */
#define KT_OID_VM_IF_TABLE_SUBID 10    /* kvmtopVmIfTable     */
#define KT_OID_HOST_SUBID 11           /* kvmtopHost scalars  */
#define KT_OID_HOST_MEM_TABLE_SUBID 12 /* kvmtopHostMemTable  */
#define KT_OID_HOST_DISK_TABLE_SUBID 13 /* kvmtopHostDiskTable */
#define KT_OID_HOST_NET_TABLE_SUBID 14 /* kvmtopHostNetTable  */
#define KT_OID_HOST_PSI_TABLE_SUBID 15 /* kvmtopHostPsiTable  */
#define KT_OID_NOTIFY_SUBID 16 /* kvmtopNotify scalars     */

#endif
