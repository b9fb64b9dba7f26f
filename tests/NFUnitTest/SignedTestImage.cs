using System;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An OTA image for version 2.0.0 (two .pe files of random bytes, 1,200 and 1,100) packed and signed by
    /// tools/OtaPack with the test-only key in testdata/ota-signing-test-key, and that key's public half: the agent
    /// activates only images signed by the key on I:, and a board cannot hold a private key to sign with.
    /// Regenerate with: otapack --version 2.0.0 --key testdata/ota-signing-test-key/test-only.key --out app.img A.pe B.pe
    /// </summary>
    internal static class SignedTestImage
    {
        /// <summary>The public key, as flash.ps1 writes it to I:\ota-signing.pem.</summary>
        public const string PublicKeyPem =
            "-----BEGIN PUBLIC KEY-----\n" +
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsYWm0p8QP6kYwOoR1D0X\n" +
            "xqPv8Qp+9/4ZUnEJ0ps5kDcLir6H8Hu7l2wDwOk1rYWprKeZ+sVofIX9lKd66oJ7\n" +
            "BnaX+OmOJSzT5D8e5RjRkHCdUzoAQzeyxsCO9Ski0/Uj7ysXhiIaX+i76Cyx33Bh\n" +
            "fmmWoMDncL+3xZmfVMsSc3Mme1jvLqBOh6nVVQlWOsl5AeDPDOQYCmph4JDdITam\n" +
            "o9yfn4TxGTvfZRIfb7l7p8D7GCDBSBTdqQv2LPsWNwM6HiUbywow0rL11XpxlUk/\n" +
            "rYMDIGoE+fdUhQMI33glEKLkhAzGF6YEOcdHwOJZP7pzeUuyw//9lRIjH5FOnXCv\n" +
            "AQIDAQAB\n" +
            "-----END PUBLIC KEY-----\n";

        private const string ImageBase64 =
            "TkZPVAIAQAACAAUyLjAuMAAAAAAAAAExAAHY3dRffERtVgRBLnBlsAQAADUlk6MEQi5wZUwEAADzXthiidpiCQjL7ztBpFdadeZk" +
            "OSDEIrU5J6bRjcpDOXszIuKDt39H6UNQdaWTmY7ocVJSS2aNtTRKfHPhd89vS3iK27iFDNXgpZLVRT5S8M7Mvr3M54nIrBAsTkXf" +
            "9PZoSYaage6FnbCR3fserI9h6e9DMswxXws/3Zn+JNA9ldv8fR5AwhHreDJoMFBoRha9Qvnv5SWjJ4AZAXZ6HKnl6TEWFUVnPEm8" +
            "9hfcGhvg3MVyDMOGJefQpGXi22kmnMneDBg/YNb/rBiRHMjQ9jROFc2gUcQDTdWh++3nekcrxfDbfD9yk8Udgnib7cz6FTUIOaik" +
            "yry30Fg9h+okkHtk2+ChLR3fDE7HEfIQ9M0VvHiGKANHAcgb7WE4lChxROI1/ttuGLkzR/Bc5NW7MTlR1bvifA3Lp+rcexvkmxjH" +
            "wGi6MEwxAFxzt8YxbShGSxc6/BybqeyQFEYgfyKcn6mJBHVpLAP7h6pyjytUvmg1rQVe2kNTwxfdfCf6jWyGSiS9GQgnEzd3vegQ" +
            "Q0977Q3FQndWOZI66VCMqJhfbzoauUoyLFzz4uK/8c3W14YsQBdBIqwj4KDUeDNmMeAtH7J2OXV5v3NIxyEdp8gBmYURplDGVznH" +
            "EUVrmUnycsGCYnm4b2haUkrKln71pkBtsxtFnb8T4vOYUCFYRPUFKZcmh1hVJDib/fVc7XkWO47QTrRh4Euh4v0UGlHK0mk7mXgr" +
            "qi40UPAsL2Z4a7xUC3K89EBZKtz3GCUrToAbTAgyqS7wz10NEajILkAtlIe5fR/ri188tXwHLTkfzr5I2bgKSfnfHKcFZe3KVZyg" +
            "2OMZsO34qnL8X0xsXm7BBEzLEBpieAcqX5btw6rRyDXXRU7HCV1GAxciBKTG3O5pt7ff1dbjvMwYxw53Wwz50rLpuBH35WnXZvlN" +
            "irpombMABU+3vfDgW83uwZsgQhvIIiJ3c6wW3z4ws4zne3tJfKoXoH4BTjOKMkDexp9qZAn8rnfdJFbbeQLr4qY4KGWdkp8iPuWQ" +
            "76H6V7I+0mr1qavkg826hbP4IQRB1/riSOh4s1rvlbBkKS0pTeGyH/mNn4mzsLq7eoStv7nUBiXL9/DBn9ORqi4UdgKc+VYKPgsi" +
            "pJvB8RSVorDtIuMiVNSe1r/Yn8pXaHeHBF3xdkojGuvtNlW4Gv+VV+CEMfpgwsSnPOcDs59PJ1VSh6TUpYUnR2JHx4T8QV5nywma" +
            "sGvyvv2fiRjBCHg6CVVhJChnNmBCcAQHPhUk2XBEYxgNGXwQDqrs0F+E83eLmrKw/X32MQZm58YvF4tvD18Swx6oSpUeu7+hI9DZ" +
            "q5wqGfAzzXCMZHYDmynT9Mfe/olKdiqyLuku8RzY+bAd0v7D6guNP89+gXV2hFS2oQYxfRyDcBjXSvhmCBe34ydxQPsPqzcXoM6Z" +
            "+DCKrE0wkOjroXZ+qLgBjc2oVZRu91gIyRBRoc6/Zpb4dcFyUTfRY+P2Wxxkax3qz0Eh8Jb8iuOV2g6HVjFSjilynk4vTLLFKhfj" +
            "YOKPKbezabwSQmsWpRD4iPUSBqlv21cB/mbDFVIGeLFf6QkD1JbTnR7Ct6woEg7uV+WorWX0tVZA6Jz+/AD5kD/hL43u4KABbLKx" +
            "j64CdL/g4kPEBp0cNiO1nOkTH12OLIldwAypUHPteXLmlB2zsIksNHJV8EHnbAyDlgiNUWSnl+PlKfEf7I/t/XiRA7chuXq8EniC" +
            "v7xWpGJEbSFU7DDXdPC1BYU3oyeuiEoNlCdI8E8u88aQvg+a31UiVUREv/zWhzrSdSLdr0Od7+LmZ8qNnCgNcnpwlssRbOefRQHe" +
            "knALdACSo1XnkmM0na9jUBvfIR1khgPlflnriYlsgyw4LAGD1mdtEnazzTwoqpbq6DSL/7RiyHDVEtVDq4bA+BPdpJX6gk22xyvB" +
            "iFZJtGKuK0tADiwaFLtSsC7yBgNxyUdsuwdhSNq8YEEjA+ucrqL9uippGyUXqsho7kX8Aip2F+udreCPceGhW3Le48+VZcr4fHCq" +
            "wwEsCOEJgCu2dQVNQJPwWEU+ELDW9cTLhI53Ui0nxCUTWVWH+23a+DnB1a0tWqjmxck1Bmq0NOLvSncaReEQSB27PGbbIy8vplFO" +
            "vzHXqHYsEdGAHdq9HrUF0x5BQSDL9jmeUyniSGeZ3F+LNjBEAd2KPF1v7hvtL699lOlx8mBCl7gPw1RM5FYJ51REGyGmuEnM5CaD" +
            "3pGwrEXDaIZVJRWGXT3/PeUozoiu4f1ijrZxFelv9/AlAy80eYyHlnokpd/VPfgVQrlX2RWmOvs1GIOfUt6IkBoT7JTEPu0JW3QC" +
            "Wzt6jvoBXfClbdRzXmogDwU6snTuYE3EAPjFyTwvLHc9OtoMKfTq4jlZchSADMXBjn8JFLP1QrSnOr8eyu4R65bhLAOgIHAObIfh" +
            "o1TS+VG0k2tVOi9t7xQLG0vjyhXUtjq9RxDnsTUAgJ3Gl4gmBtoO1uhNaw5177CITjhe+9fx8xOQhhTnqVWKEe7btx5/Lctio2T6" +
            "Rwy6QVzvxv2TldkNPJXP3ltaGO4q8IPuAtl4W/MgSj137Z5tOhHe3g19AkwFkZGvs0JrJDeS+WMmY+DcNCC3gb0WnN3KNvbAoJuA" +
            "4+covBZopDOwfA+UTmqO2v54JLuv8Ug5P926Nakvm4QozI7gZlUxnGuMH4DVTpdGo2pFYEHnoLTI/1h2YsyMzs7c+YpklhvgV5R8" +
            "C4AyExRmC3C66M4x7jtzFD58pupf3aB1GUVDpUgzZcyBkTmgjRgmbbeFHWNDxY/7+4PqdrIugiX1c5wpAD1D+AvbKBGRhfm/a5Sm" +
            "8jw9NYyk00BHLmVf9P8PIUT4Htel9XeRaS96Lhu6bYXi1NhSCiHk4n8tXjmBsb+jUj5+TC1JyJM/R6z6ONkb4ke4BuG1a/oNV2wg" +
            "sLYQKC8SVFVeY8/3N87F+ByDend9H6+QwJKKK5y9L4CMA468AHeqLa0zQQDWtGtQWBzQwe95oOcUa+FgGhbXry8kYE/QzHCu+jsb" +
            "nfmi+owgGeGT5T8ava8w5fVoY7swNdrrhenQYwRQlPCGIKZ8y/F9UXV3fwzfrxq2PaqhhfjAav1OzDze5lsorkKvlvbBJv8fdCYh" +
            "sCmLQ1f4ExOK0S+TKX9Hm0hZ8w0LB7jfuV2md+iVA0v9aFoVCsOJfPaUManaTuJOXBdaU2E4JpyHO46R5CsiCqTMiZCSiSKFczqe" +
            "fAs42UANbP1fw9DcWiveNHcI0ViyM1jiTkPbcV1BtBggpC4Ngjww3W5qcTTlgL6/x+aO3OFShUn0wLoesAvJI4Rq8LQGwYntRgQY" +
            "zw1GMluIAy6m1ICA+JZX8qb/TVYt53sMYTVzfRA59XYzSXGwxqRpmaVyadoLiV9v3y1FeZQLM6jtOVoYqnbZXo1F7yxKdpvdwy0=";

        /// <summary>A fresh copy of the signed image (tests may corrupt theirs).</summary>
        public static byte[] Bytes()
        {
            return Convert.FromBase64String(ImageBase64);
        }
    }
}
