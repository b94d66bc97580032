using SeedNotebook.Sections;

// The seed notebook, reproduced section by section: each section is one static class under Sections/, and shares
// the notebook's numbers through SeedData.
Console.WriteLine("SymGrad: the seed notebook (MIA-07, Problema 2) reproduced in C#");

Section1Micrograd.Run();
Section2PyTorchCell.Run();
Section3RandomWeights.Run();

// Later sections go here, in order, one Run() each:
//   4. The generated gradient  (Sections/Section4GeneratedGradient.cs, from the generator issue)
//   5. Pictures                (Sections/Section5Pictures.cs, from the pictures issue)
