# Interactive vCPUs beside CPU-bound ones on two CPUs: compare wake-up
# latency and shares across policies (--policy rr|wfs|lottery|edf).
cpus 2
policy rr
slice 4ms
duration 2s
vcpu web weight=2 burst=300us sleep=5ms
vcpu db weight=2 burst=2ms sleep=3ms
vcpu batch1 weight=1
vcpu batch2 weight=1
vcpu shell weight=4 burst=100us sleep=20ms start=50ms
