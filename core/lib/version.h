#ifndef CORE_VERSION_H
#define CORE_VERSION_H

#define HV_NAME "hv"
#define HV_VERSION "0.1.0"

#endif
