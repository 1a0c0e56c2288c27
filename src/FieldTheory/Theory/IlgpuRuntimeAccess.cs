using System.Runtime.CompilerServices;

// ILGPU's CPU accelerator emits a dynamic assembly named ILGPURuntime that calls the kernels; it must see the
// internal parameter structs of the theory kernels (FieldTheory.Theory.TwoLayer.StepParameters).
[assembly: InternalsVisibleTo("ILGPURuntime")]
