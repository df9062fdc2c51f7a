/* placeholder */
#ifndef KT_PLACEHOLDER_COLLECT_QEMU
#endif
