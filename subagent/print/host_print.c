/* placeholder */ typedef int kt_placeholder_host_print;
