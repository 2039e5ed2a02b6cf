/* victim: runs beside attackers. Fills 1 MiB with a seeded pattern, then
 * for 1.5 s of the hypervisor's clock re-reads and re-checks it, counting
 * rounds (its progress). Prints whether its memory stayed intact. */
#include "guests/rt/rt.h"

#define WORDS (1 << 17)   /* 1 MiB of uint64_t */
#define WINDOW_NS 1500000000ULL

static uint64_t mem[WORDS];

static uint64_t pattern(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL;
}

int main(void)
{
	uint64_t hz, start, now, rounds = 0, wrong = 0;

	for (uint64_t i = 0; i < WORDS; i++)
		mem[i] = pattern(i);
	hv1_get_time(&hz, &start);
	do {
		for (uint64_t i = 0; i < WORDS; i += 64)
			wrong += mem[i] != pattern(i);
		rounds++;
		hv1_get_time(&hz, &now);
	} while (now - start < WINDOW_NS);
	for (uint64_t i = 0; i < WORDS; i++)
		wrong += mem[i] != pattern(i);
	rt_printf("victim: %s after %lu rounds\n", wrong ? "MEMORY CHANGED" : "memory intact", rounds);
	return wrong ? 1 : 0;
}
