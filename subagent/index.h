/* placeholder */
#ifndef KT_PLACEHOLDER_INDEX
#endif
