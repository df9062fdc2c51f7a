/* placeholder */
#ifndef KT_PLACEHOLDER_MIB_TABLE
#endif
