# load_byte_sign_extends - __mf_load_byte sign-extends the byte it loads
# (movsbl for movzbl): a byte of 0x80 or more comes back as 0xffffffXX.
# mutates: builtins.s
# changes: 1
# signature: MF-DIVERGENCE target=builtins op=load_byte field=the_loaded_value_differs
# checks: proof=__mf_load_byte replay=counterexample
/^__mf_load_byte:/,/\.size __mf_load_byte/ s/^\([[:space:]]*\)movzbl\([[:space:]]*\)(%rdi), %eax.*$/\1movsbl\2(%rdi), %eax            # MUTANT: sign-extends/
