/* placeholder */
#ifndef KT_PLACEHOLDER_COLLECT_COLLECTOR
#endif
