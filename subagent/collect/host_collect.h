/* placeholder */
#ifndef KT_PLACEHOLDER_host_collect_H
#define KT_PLACEHOLDER_host_collect_H
#endif
