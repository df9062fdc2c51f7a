/* placeholder */
#ifndef KT_PLACEHOLDER_MIB_AGENTX
#endif
