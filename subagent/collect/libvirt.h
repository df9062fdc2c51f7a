/* placeholder */
#ifndef KT_PLACEHOLDER_COLLECT_LIBVIRT
#endif
