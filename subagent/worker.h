/* placeholder */
#ifndef KT_PLACEHOLDER_WORKER
#endif
