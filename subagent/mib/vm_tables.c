/* placeholder */ typedef int kt_placeholder_vm_tables;
