# Three CPU-bound vCPUs with weights 1:2:4 on one CPU: under wfs each gets
# weight/7 of the CPU.
cpus 1
policy wfs
slice 2ms
duration 2s
vcpu a weight=1
vcpu b weight=2
vcpu c weight=4
