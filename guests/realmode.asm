; realmode: a flat binary started in 16-bit real mode at 0x7c00. Writes to
; COM1 with OUT, then a console_write and a shutdown hypercall: hypercalls
; work from real mode because the call number sits in EAX.
bits 16
org 0x7c00

start:
	mov si, msg
.next:
	lodsb
	test al, al
	jz .done
	mov dx, 0x3f8
	out dx, al
	jmp .next
.done:
	mov eax, 0x00010001     ; v1 console_write
	mov ebx, msg2           ; guest-physical address (CS = 0)
	mov ecx, msg2_len
	vmcall
	mov eax, 0x00010006     ; v1 shutdown: power off (EBX 0), code 7
	xor ebx, ebx
	mov ecx, 7
	vmcall
	cli
	hlt

msg: db "real mode: hello through COM1", 13, 10, 0
msg2: db "real mode: hello through a hypercall", 10
msg2_len equ $ - msg2
