using SeedNotebook.Sections;

// The seed notebook, reproduced section by section: each section is one static class under Sections/, and shares
// the notebook's numbers through SeedData.
Console.WriteLine("SymGrad: the seed notebook (MIA-07, Problema 2) reproduced in C#");

Section1Micrograd.Run();
Section2PyTorchCell.Run();
Section3RandomWeights.Run();
Section4GeneratedGradient.Run();

// 5. Pictures: the network diagrams, the training run (on the generated gradient), the animation page and the
// loss's computation graph, written under out/.
Print.Section("5. Pictures (written under out/)");
SeedNotebook.Pictures.PicturesSection.Run("out");

// 6. Beyond the notebook: second order, with the generated Hessian.
Section6Newton.Run();

// 7. Beyond the notebook: least squares, with the generated Jacobian of a vector output.
Section7CurveFit.Run("out");
