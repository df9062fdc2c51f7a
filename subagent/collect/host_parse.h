/* placeholder */
#ifndef KT_PLACEHOLDER_host_parse_H
#define KT_PLACEHOLDER_host_parse_H
#endif
