/* placeholder */
#ifndef KT_PLACEHOLDER_LOG
#endif
