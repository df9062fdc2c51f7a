/* placeholder */
#ifndef KT_PLACEHOLDER_domxml_H
#define KT_PLACEHOLDER_domxml_H
#endif
