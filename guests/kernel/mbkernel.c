/* A Multiboot kernel written for the tests, built twice: MB=1 and MB=2.
 * It knows nothing of the hypervisor except, at the end, the shutdown
 * hypercall (a real kernel would power off through ACPI). It prints, on
 * COM1, what the boot information says: the magic, the command line, each
 * module with its first line, and the memory. */
#include <stdint.h>

#define COM1 0x3f8

#if MB == 1
#define HEADER_MAGIC 0x1badb002u
#define BOOT_MAGIC 0x2badb002u
__attribute__((section(".multiboot"), aligned(4), used))
static const uint32_t header[3] = { HEADER_MAGIC, 0, -(HEADER_MAGIC + 0) };
#else
#define HEADER_MAGIC 0xe85250d6u
#define BOOT_MAGIC 0x36d76289u
__attribute__((section(".multiboot"), aligned(8), used))
static const uint32_t header[6] = { HEADER_MAGIC, 0, 24, -(HEADER_MAGIC + 0 + 24), 0, 8 };
#endif

void kmain(uint32_t magic, uint32_t info);

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void puts(const char *s)
{
	while (*s)
		outb(COM1, (uint8_t)*s++);
}

static void putn(uint32_t n)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + n % 10);
	while (n /= 10);
	puts(buf + i);
}

/* A module's first line, at most 60 bytes of it. */
static void module(const char *name, uint32_t start, uint32_t end)
{
	const char *p = (const char *)(uintptr_t)start;

	puts("module ");
	puts(name);
	puts(": ");
	for (uint32_t i = 0; start + i < end && i < 60 && p[i] != '\n'; i++)
		outb(COM1, (uint8_t)p[i]);
	puts("\n");
}

static void memory(uint32_t lower, uint32_t upper)
{
	puts("memory: ");
	putn(lower);
	puts(" KiB low, ");
	putn(upper);
	puts(" KiB high\n");
}

#if MB == 1
static void boot_info(uint32_t info)
{
	const uint32_t *mbi = (const uint32_t *)(uintptr_t)info;

	if (mbi[0] & 1)
		memory(mbi[1], mbi[2]);
	if (mbi[0] & 4) {
		puts("cmdline: ");
		puts((const char *)(uintptr_t)mbi[4]);
		puts("\n");
	}
	for (uint32_t i = 0; (mbi[0] & 8) && i < mbi[5]; i++) {
		const uint32_t *m = (const uint32_t *)(uintptr_t)(mbi[6] + 16 * i);

		module((const char *)(uintptr_t)m[2], m[0], m[1]);
	}
}
#else
static void boot_info(uint32_t info)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)info, *end = p + *(const uint32_t *)p;

	for (p += 8; p < end;) {
		const uint32_t *t = (const uint32_t *)p;

		if (t[0] == 0)
			break;
		if (t[0] == 1) {
			puts("cmdline: ");
			puts((const char *)(t + 2));
			puts("\n");
		} else if (t[0] == 3) {
			module((const char *)(t + 4), t[2], t[3]);
		} else if (t[0] == 4) {
			memory(t[2], t[3]);
		}
		p += (t[1] + 7) & ~7u;
	}
}
#endif

void kmain(uint32_t magic, uint32_t info)
{
	puts("multiboot ");
	putn(MB);
	puts(magic == BOOT_MAGIC ? ": magic ok\n" : ": BAD MAGIC\n");
	if (magic == BOOT_MAGIC)
		boot_info(info);
	puts("kernel done\n");
	/* v1 shutdown (power off, code 0): works from 32-bit code */
	__asm__ volatile("vmcall" : : "a"(0x10006), "b"(0), "c"(0));
	for (;;)
		__asm__ volatile("cli; hlt");
}
