; The Multiboot2 boot door's first instructions. GRUB jumps to mb2_entry32 in
; 32-bit protected mode, paging off, EAX = magic, EBX = boot information.
; We identity-map the first 4 GiB with 2 MiB pages, enter long mode and call
; mb2_main(magic, info) in C.

MB2_MAGIC equ 0xe85250d6
MB2_ARCH_I386 equ 0

section .multiboot2 progbits alloc noexec nowrite align=8
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	dw 0, 0                 ; end tag
	dd 8
mb2_header_end:

section .text
bits 32
global mb2_entry32:function hidden
extern mb2_main

mb2_entry32:
	cli
	mov esp, boot32_stack_top
	mov edi, eax            ; survives into long mode as mb2_main's arguments
	mov esi, ebx

	mov eax, 0x80000000     ; long mode available?
	cpuid
	cmp eax, 0x80000001
	jb no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz no_long_mode

	; PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3; PDn[j] -> (n * 512 + j) * 2 MiB
	mov eax, boot_pdpt
	or eax, 3
	mov [boot_pml4], eax
	xor ecx, ecx
.pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, 3
	mov [boot_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83            ; present, writable, 2 MiB page
	mov edx, ecx
	shr edx, 11             ; upper 32 bits of the address: ecx >> 11
	mov [boot_pd + ecx * 8], eax
	mov [boot_pd + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, 2048
	jb .pd

	mov eax, boot_pml4
	mov cr3, eax
	mov eax, cr4
	or eax, 1 << 5          ; PAE
	mov cr4, eax
	mov ecx, 0xc0000080     ; EFER.LME
	rdmsr
	or eax, 1 << 8
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | 1   ; PG, PE
	mov cr0, eax
	lgdt [boot_gdt_ptr]
	jmp 0x08:long_mode

; Tell the user on COM1 (115200 is what GRUB left or the BIOS default).
no_long_mode:
	mov esi, no_lm_msg
.putc:
	lodsb
	test al, al
	jz .halt
	mov dx, 0x3f8
	out dx, al
	jmp .putc
.halt:
	hlt
	jmp .halt

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rsp, boot32_stack_top
	call mb2_main           ; edi = magic, esi = info (zero-extended)
.hang:
	hlt
	jmp .hang

section .rodata
no_lm_msg: db "hv: this CPU has no 64-bit long mode; stopped", 13, 10, 0

align 8
boot_gdt:
	dq 0
	dq 0x00209a0000000000   ; 0x08: 64-bit code
	dq 0x0000920000000000   ; 0x10: data
boot_gdt_ptr:
	dw boot_gdt_ptr - boot_gdt - 1
	dq boot_gdt

section .bss
align 4096
boot_pml4: resb 4096
boot_pdpt: resb 4096
boot_pd: resb 4 * 4096
align 16
	resb 8192
boot32_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
