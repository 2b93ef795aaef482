# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Write-Host 'one' ; `
    Write-Host 'two'
WORKDIR C:\app
COPY app.ps1 C:\app\
CMD powershell -File C:\app\app.ps1
