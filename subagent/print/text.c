/* placeholder */ typedef int kt_placeholder_text;
