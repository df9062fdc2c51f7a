/* placeholder */
#ifndef KT_PLACEHOLDER_OPTIONS
#endif
