; acloop: an #AC whose delivery raises #AC again, forever (CVE-2015-5307's
; loop). A flat binary started in real mode at 0x7c00: it enters 32-bit
; protected mode, turns alignment checking on (CR0.AM, then EFLAGS.AC at
; CPL 3) and drops to CPL 3 with a misaligned stack. Its #AC gate leads to
; a CPL-3 handler, so delivering the fault pushes its frame on that same
; misaligned stack, which faults again before any handler instruction
; runs. In 64-bit mode the CPU aligns the stack for every delivery, hence
; 32 bits. The hypervisor must take each #AC as an exit, end the slice on
; time and keep the guest beside it running (tests/e2e/hostile-acloop).
bits 16
org 0x7c00

start:
	cli
	xor ax, ax
	mov ds, ax
	lgdt [gdtr]
	lidt [idtr]
	mov eax, cr0
	or eax, 1 | 1 << 18             ; PE, AM
	mov cr0, eax
	jmp 0x08:pm

bits 32
pm:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x7000
	mov eax, 0x00010001             ; v1 console_write: say where we are
	mov ebx, msg
	mov ecx, msg_len
	vmcall
	push dword 0x23                 ; SS: user data
	push dword 0x6001               ; ESP: misaligned
	push dword 0x40002              ; EFLAGS: AC, interrupts off
	push dword 0x1b                 ; CS: user code
	push dword user
	iret

user:
	push eax                        ; the first #AC; its delivery the next
	jmp user

ac_handler:                             ; never reached: delivery faults first
	add esp, 4
	iret

align 8
gdt:
	dq 0
	dq 0x00cf9a000000ffff           ; 0x08 code, DPL 0
	dq 0x00cf92000000ffff           ; 0x10 data, DPL 0
	dq 0x00cffa000000ffff           ; 0x18 code, DPL 3
	dq 0x00cff2000000ffff           ; 0x20 data, DPL 3
gdt_end:

idt:
	times 17 dq 0
	dw ac_handler, 0x1b             ; #AC: a 32-bit interrupt gate, DPL 3,
	db 0, 0xee                      ; to the CPL-3 code segment
	dw 0
idt_end:

gdtr:
	dw gdt_end - gdt - 1
	dd gdt
idtr:
	dw idt_end - idt - 1
	dd idt

msg: db "acloop: CPL 3, misaligned stack, alignment checks on", 10
msg_len equ $ - msg
