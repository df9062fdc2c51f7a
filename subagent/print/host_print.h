/* placeholder */
#ifndef KT_HOST_PRINT_H
#define KT_HOST_PRINT_H
#endif
