/* The table of guests (core/vm/vcpu.h). */
#include "core/vm/vcpu.h"

struct guest *guests;
u32 nguests;

struct guest *guest_by_id(u32 id)
{
	return id < nguests ? &guests[id] : NULL;
}
