/* placeholder */ typedef int kt_placeholder_domxml;
