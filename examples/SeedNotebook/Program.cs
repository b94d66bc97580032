Console.WriteLine("SymGrad seed notebook");
