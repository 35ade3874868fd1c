// GenVm.Core: the executor.
